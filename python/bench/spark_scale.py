"""Scaling figures of leakscope on Spark (BENCHMARKS.md, docs/scale.md).

    python python/bench/spark_scale.py --gb 2 --dir /tmp/ls-scale [--binary target/release/leakscope]
    python python/bench/spark_scale.py --gb 2 --dir /tmp/ls-scale --concurrency

Generates a deterministic real-shaped customer dump (CSV, UTF-8) of about --gb GB, then times on
the same file: the native binary (`leakscope scan --json`, when --binary is given), the engine
in-process (`leakscope.scan`), and `leakscope.spark.scan_files` under local[1] and local[2] (each
in a fresh process, so a JVM's warm-up is counted once per run). Peak RSS is the largest sum of
resident memory over the run's process tree (driver, JVM, Python workers), sampled every 100 ms.
Prints one JSON object per run and the per-task costs (range bytes, task seconds, partial size,
driver merge+finish time) that docs/scale.md's model uses.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import threading
import time
from typing import Dict, List

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Hữu Khang", "Ngọc Lan", "Đức Minh"]
SHOPS = ["Bún Chả Hương Liên", "Phở Thìn", "Cộng Cà Phê", "Bánh Mì 25", "Highlands Coffee Q1"]
PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "32", "33", "35", "70", "77", "86", "88"]


def generate(path: str, gb: float, people: int = 2_000_000) -> None:
    target = int(gb * (1 << 30))
    if os.path.exists(path) and os.path.getsize(path) >= target:
        return
    r = random.Random(7)
    lines: List[str] = []
    for i in range(200_000):
        p = r.randrange(people)
        lines.append(
            "%s,%s.%d@%s,0%s%07d,20%02d-%02d-%02d %02d:%02d:00,%s,%s,%s\n"
            % (
                "%s %s" % (FAMILY[p % 10], GIVEN[(p // 10) % 8]),
                ["an", "binh", "chau", "dung"][p % 4],
                p,
                ["gmail.com", "yahoo.com", "fpt.vn"][p % 3],
                PREFIXES[p % 14],
                p % 10_000_000,
                19 + p % 6,
                1 + p % 12,
                1 + p % 28,
                p % 24,
                p % 60,
                hashlib.md5(b"%d" % (p % 5000)).hexdigest(),
                SHOPS[p % 5],
                ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng"][p % 3],
            )
        )
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("order_id,full_name,email,phone,created_at,password_md5,shop,city\n")
        written, i = 0, 0
        while written < target:
            chunk = "".join("%d,%s" % (i + k, lines[(i + k) * 7919 % len(lines)]) for k in range(50_000))
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
            i += 50_000
    os.replace(path + ".tmp", path)


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants."""
    children: Dict[int, List[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open("/proc/%d/statm" % p) as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def timed(cmd: List[str]) -> Dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.1)

    t = threading.Thread(target=sample)
    t.start()
    out, _ = proc.communicate()
    done.set()
    t.join()
    secs = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise SystemExit("%s failed with %d" % (cmd, proc.returncode))
    last = out.decode().strip().splitlines()[-1] if out.strip() else "{}"
    return {"seconds": secs, "peak_rss_mb": peak[0] / (1 << 20), "out": last}


def child(mode: str, path: str, block: int) -> None:
    """One run inside a fresh process; prints a JSON line."""
    import leakscope

    if mode == "engine":
        p = leakscope.scan(path)
        print(json.dumps({"rows": p["rows"], "people": p["individuals"]["estimate"]}))
        return
    from pyspark.sql import SparkSession

    from leakscope import _native
    from leakscope import spark as ls

    s = (
        SparkSession.builder.master(mode)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    t0 = time.perf_counter()
    plan = json.dumps(leakscope.plan_from_sample([path], stop_after_bytes=64 << 20))
    plan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tasks = ls.file_tasks([path], block_bytes=block)
    cut_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    p = ls.scan_files(s, [path], block_bytes=block)
    took = time.perf_counter() - t0
    # Per-task costs for the model: one range scanned alone on one thread, its partial, the
    # driver's merge.
    _, s0, e0, h0 = tasks[1]
    t1 = time.perf_counter()
    part = _native.scan_partial_range(plan, path, s0, e0, h0, json.dumps({"threads": 1}))
    task_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    merged = _native.merge([part] * 8)
    merge_s = (time.perf_counter() - t2) / 7
    t3 = time.perf_counter()
    _native.finish(plan, [merged])
    finish_s = time.perf_counter() - t3
    s.stop()
    print(
        json.dumps(
            {
                "rows": p["rows"],
                "people": p["individuals"]["estimate"],
                "spark_seconds": took,
                "plan_seconds": plan_s,
                "cut_seconds": cut_s,
                "tasks": len(tasks),
                "range_bytes": e0 - s0,
                "task_seconds_alone": task_s,
                "partial_bytes": len(part),
                "merge_seconds_per_partial": merge_s,
                "finish_seconds": finish_s,
                "plan_bytes": len(plan),
            }
        )
    )


def concurrency(mode: str, path: str, block: int, n: int = 6) -> None:
    """Runs `n` ranges as Spark tasks and prints each task's interval and worker pid: whether
    tasks overlap and how much slower each gets when they do (CPU really available)."""
    from pyspark.sql import SparkSession

    from leakscope import spark as ls

    s = SparkSession.builder.master(mode).config("spark.ui.enabled", "false").getOrCreate()
    import leakscope

    plan = s.sparkContext.broadcast(json.dumps(leakscope.plan_from_sample([path], stop_after_bytes=64 << 20)))
    tasks = ls.file_tasks([path], block_bytes=block)[:n]

    def run(items):  # type: ignore[no-untyped-def]
        from leakscope import _native

        for p, a, b, h in items:
            t = time.time()
            _native.scan_partial_range(plan.value, p, a, b, h, json.dumps({"threads": 1}))
            yield (t, time.time(), os.getpid())

    t0 = time.time()
    r = s.sparkContext.parallelize(tasks, len(tasks)).mapPartitions(run).collect()
    wall = time.time() - t0
    s.stop()
    print(
        json.dumps(
            {
                "mode": mode,
                "wall_seconds": round(wall, 2),
                "task_seconds": [round(b - a, 2) for a, b, _ in r],
                "intervals": [(round(a - t0, 1), round(b - t0, 1), pid) for a, b, pid in r],
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gb", type=float, default=2.0)
    ap.add_argument("--dir", default="/tmp/ls-scale")
    ap.add_argument("--block-mb", type=int, default=128)
    ap.add_argument("--binary")
    ap.add_argument("--child")
    ap.add_argument("--path")
    ap.add_argument("--concurrency", action="store_true", help="only the task-overlap check")
    a = ap.parse_args()
    if a.child:
        if a.child.startswith("concurrency:"):
            concurrency(a.child.split(":", 1)[1], a.path, a.block_mb << 20)
        else:
            child(a.child, a.path, a.block_mb << 20)
        return
    os.makedirs(a.dir, exist_ok=True)
    path = os.path.join(a.dir, "dump.csv")
    t = time.perf_counter()
    generate(path, a.gb)
    size = os.path.getsize(path)
    print(json.dumps({"file": path, "bytes": size, "generate_seconds": time.perf_counter() - t}))
    with open("/proc/loadavg") as f:
        print(json.dumps({"load_before": f.read().split()[:3]}))
    me = [sys.executable, os.path.abspath(__file__), "--path", path, "--block-mb", str(a.block_mb), "--child"]
    if a.concurrency:
        for mode in ("local[1]", "local[2]"):
            subprocess.run(me + ["concurrency:" + mode], check=True, stderr=subprocess.DEVNULL)
        return
    runs = []
    if a.binary:
        runs.append(("binary", [a.binary, "scan", "--json", "-q", path]))
    runs += [("engine", me + ["engine"]), ("local[1]", me + ["local[1]"]), ("local[2]", me + ["local[2]"])]
    for name, cmd in runs:
        r = timed(cmd)
        out = r.pop("out")
        r["mb_per_s"] = size / (1 << 20) / r["seconds"]
        print(json.dumps({"run": name, **r, "detail": json.loads(out) if out.startswith("{") else out[:200]}))
        sys.stdout.flush()
    with open("/proc/loadavg") as f:
        print(json.dumps({"load_after": f.read().split()[:3]}))


if __name__ == "__main__":
    main()
