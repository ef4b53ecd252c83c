"""The Python API against the engine: documents, masking, errors, progress, partials."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

import leakscope

DATA_FIELDS = [
    "rows",
    "individuals",
    "data_classes",
    "countries",
    "records",
    "tenants",
    "passwords",
    "sensitivity",
]


def test_scan_returns_the_scan_document(leak_dir: Path) -> None:
    p = leakscope.scan([leak_dir / "customers.csv"])
    assert p["schema"] == "leakscope.scan/1"
    assert p["rows"] == 12_000
    classes = {c["name"]: c["class"] for c in p["tables"][0]["columns"]}
    assert classes["email"] == "email"
    assert classes["phone"] == "phone"
    assert classes["password_md5"] == "password_hash"
    assert 0 < p["individuals"]["estimate"] <= 9_000
    assert p["countries"][0]["code"] == "VN"


def test_values_are_masked_unless_revealed(leak_dir: Path) -> None:
    raw = (leak_dir / "customers.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    text = json.dumps(leakscope.scan(leak_dir / "customers.csv"), ensure_ascii=False)
    for v in raw[2:4]:  # e-mail, phone of the first row
        assert v not in text
    revealed = leakscope.scan(leak_dir / "customers.csv", reveal=True)
    ex = [e for c in revealed["tables"][0]["columns"] if c["name"] == "email" for e in c["examples"]]
    assert ex and all("@" in e and "*" not in e and "•" not in e for e in ex)


def test_errors_map_to_python_exceptions(leak_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        leakscope.scan(tmp_path / "absent.csv")
    with pytest.raises(OSError):
        leakscope.inspect([tmp_path / "absent.csv"])
    with pytest.raises(ValueError, match="unknown option"):
        leakscope.scan(leak_dir / "small.csv", sample_rowz=3)
    with pytest.raises(ValueError, match="found-on|found_on"):
        leakscope.scan(leak_dir / "small.csv", found_on="yesterday")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(leakscope.LeakscopeError):
        leakscope.scan(tmp_path / "empty.csv")
    with pytest.raises(ValueError):
        leakscope.finish("{}", [])


def test_progress_callback_is_called_and_its_errors_surface(leak_dir: Path) -> None:
    seen = []
    leakscope.scan(leak_dir / "customers.csv", progress=seen.append, threads=1)
    assert seen and all("rows" in s and "current_source" in s for s in seen)

    def boom(_p: dict) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        leakscope.scan(leak_dir / "customers.csv", progress=boom)


def test_the_gil_is_released_while_scanning(leak_dir: Path) -> None:
    ticks = []
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    start = time.perf_counter()
    for _ in range(3):
        leakscope.scan(leak_dir / "customers.csv")
    took = time.perf_counter() - start
    done.set()
    t.join()
    during = [x for x in ticks if start <= x <= start + took]
    # A thread holding the GIL for the whole scan would leave the ticker silent.
    assert len(during) >= 5, (len(during), took)


def test_inspect_classify_detect(leak_dir: Path) -> None:
    i = leakscope.inspect(leak_dir)
    assert i["schema"] == "leakscope.inspect/1"
    tables = {t["name"]: t for s in i["sources"] for t in s["tables"]}
    assert tables["customers"]["rows"] == 12_000
    assert "email" in tables["customers"]["headers"]
    c = leakscope.classify(["an.1@gmail.com", "binh.2@yahoo.com", None, "chau.3@fpt.vn"], header="Email")
    assert c["schema"] == "leakscope.classify/1" and c["class"] == "email"
    assert "an.1" not in json.dumps(c)
    d = leakscope.detect("0912345678")
    assert d["schema"] == "leakscope.detect/1"
    assert any(m["class"] == "phone" for m in d["matches"])
    assert "0912345678" not in json.dumps(d)
    assert "0912345678" in json.dumps(leakscope.detect("0912345678", reveal=True))


def test_obligations_of_a_profile(leak_dir: Path) -> None:
    p = leakscope.scan(leak_dir / "customers.csv", found_on="2026-11-20")
    o = leakscope.obligations(p, established_in=["VN"], now="2026-11-21")
    assert o["schema"].startswith("leakscope.obligations/")
    assert json.dumps(o).count("VN") > 0
    with pytest.raises(ValueError):
        leakscope.obligations(p, tz="Mars/Olympus")
    with pytest.raises(ValueError):
        leakscope.obligations({"schema": "nope"})


def test_partials_merged_give_the_scan(leak_dir: Path) -> None:
    paths = [leak_dir / "customers.csv", leak_dir / "orders.ndjson"]
    whole = leakscope.scan(paths, sample_rows=2_000, threads=1)
    plan = leakscope.plan_from_sample(paths, sample_rows=2_000)
    assert plan["schema"] == "leakscope.plan/1"
    parts = [leakscope.scan_partial(plan, [p]) for p in paths]
    assert all(p["schema"] == "leakscope.partial/1" for p in parts)
    merged = leakscope.merge(reversed(parts))
    got = leakscope.finish(plan, [merged])
    for f in DATA_FIELDS + ["tables"]:
        assert got[f] == whole[f], f
    other = leakscope.plan_from_sample(paths, sample_rows=2_000)
    with pytest.raises(leakscope.LeakscopeError):
        leakscope.finish(other, parts)


def test_byte_ranges_cut_by_the_engine_give_the_scan(leak_dir: Path) -> None:
    from leakscope import _native
    from leakscope.spark import file_tasks

    path = leak_dir / "customers.csv"
    whole = leakscope.scan(path, sample_rows=2_000, threads=1)
    plan = leakscope.plan_from_sample(path, sample_rows=2_000)
    tasks = file_tasks([path], block_bytes=64 << 10)
    assert len(tasks) > 5
    assert all(t[3] > 0 for t in tasks)  # the header record is known
    data = path.read_bytes()
    for _, s, e, _ in tasks:
        assert s == 0 or data[s - 1 : s] == b"\n"
    parts = [leakscope.scan_partial(plan, p, byte_range=(s, e), header_end=h) for p, s, e, h in tasks]
    got = leakscope.finish(plan, parts)
    for f in DATA_FIELDS + ["tables", "sources"]:
        assert got[f] == whole[f], f
    header_end, starts = _native.record_cuts(str(path), 64 << 10)
    assert data[:header_end].decode().startswith("customer_id,")
    assert starts[0] == 0 and starts == sorted(starts)


def test_in_memory_columns(leak_dir: Path) -> None:
    import csv

    with open(leak_dir / "customers.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cols = {h: [r[h] for r in rows] for h in rows[0]}
    plan = leakscope.plan_from_rows({"customers": {h: v[:2_000] for h, v in cols.items()}}, sample_rows=2_000)
    half = len(rows) // 2
    parts = [
        leakscope.scan_partial(plan, table="customers", columns=[v[:half] for v in cols.values()]),
        leakscope.scan_partial(plan, table=0, columns=[v[half:] for v in cols.values()]),
    ]
    got = leakscope.finish(plan, parts)
    whole = leakscope.scan(leak_dir / "customers.csv", sample_rows=2_000, threads=1)
    assert got["rows"] == whole["rows"]
    assert got["individuals"] == whole["individuals"]
    assert [c["class"] for c in got["tables"][0]["columns"]] == [c["class"] for c in whole["tables"][0]["columns"]]


def test_verify_against_a_reference(leak_dir: Path, tmp_path: Path) -> None:
    import os

    secret = tmp_path / "secret"
    secret.write_text("ab" * 32)
    os.chmod(secret, 0o600)
    r = leakscope.verify(leak_dir / "customers.csv", str(leak_dir / "customers.csv"), secret=secret, id_column="customer_id")
    assert r["schema"] == "leakscope.verify/1"
    assert r["verdict"] == "authentic"
    assert r["matched_rows"] > 0
    text = json.dumps(r, ensure_ascii=False)
    first = (leak_dir / "customers.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    assert first[2] not in text and first[3] not in text
    os.chmod(secret, 0o644)
    with pytest.raises(leakscope.LeakscopeError):
        leakscope.verify(leak_dir / "small.csv", str(leak_dir / "customers.csv"), secret=secret)


def test_names_that_are_identifiers_are_masked_as_the_cli_does(tmp_path: Path) -> None:
    # A dictionary keyed by e-mail: the header itself is somebody's address.
    f = tmp_path / "keyed.csv"
    f.write_text("id,lan.nguyen.1987@gmail.com\n1,0912345678\n2,0987654321\n", encoding="utf-8")
    for doc in (leakscope.scan(f), leakscope.inspect(f)):
        assert "lan.nguyen.1987@gmail.com" not in json.dumps(doc, ensure_ascii=False)
    plan = leakscope.plan_from_sample(f)
    assert "lan.nguyen.1987@gmail.com" not in json.dumps(leakscope.finish(plan, [leakscope.scan_partial(plan, f)]))
