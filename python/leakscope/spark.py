"""leakscope on Apache Spark (3.5 and 4.x): scan DataFrames and big dump files with the same
engine, spread over the executors.

- :func:`scan_dataframe` samples the first rows on the driver, decides the column plan once,
  broadcasts it, counts every partition on the executors (``mapInArrow``) into mergeable
  partials, merges them on the executors in a tree and finishes the ``leakscope.scan/1``
  profile on the driver.
- :func:`scan_files` cuts big CSV/TSV/NDJSON files into record-aligned byte ranges with the
  engine's own block cutter and scans one range per task (other files, compressed ones and SQL
  dumps are one task each).
- :func:`columns_dataframe` turns a profile into a DataFrame of per-file, per-column results.

The executors need the ``leakscope`` package installed (the same wheel as the driver), and for
:func:`scan_files` the paths must be readable from every executor (a shared file system).
Nothing leaves an executor but partials: counts, sketches and keyed hashes, never raw values.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import leakscope
from leakscope import _native

__all__ = ["scan_dataframe", "scan_files", "columns_dataframe", "file_tasks"]

# A byte range per task: big enough that per-task overhead is small, small enough to spread.
DEFAULT_BLOCK_BYTES = 128 << 20
_CUTTABLE = {"csv", "tsv", "ndjson"}


def _string_frame(df: Any) -> Any:
    from pyspark.sql import functions as F

    return df.select([F.col("`%s`" % c.replace("`", "``")).cast("string").alias(c) for c in df.columns])


def scan_dataframe(
    df: Any,
    *,
    table: str = "dataframe",
    source: str = "dataframe",
    sample_rows: int = 10_000,
    **options: Any,
) -> Dict[str, Any]:
    """Scan a DataFrame (from any source Spark reads: Parquet, Delta, JDBC, JSON, CSV ...) and
    return its ``leakscope.scan/1`` profile as a dict.

    The first ``sample_rows`` rows (Spark's ``limit`` order) decide the columns on the driver;
    every cell is read as text (``cast("string")``). ``table``/``source`` name the table and its
    source in the profile. Other options as :func:`leakscope.scan`.
    """
    sdf = _string_frame(df)
    names = list(sdf.columns)
    sample = sdf.limit(int(sample_rows)).collect()
    columns = {c: [r[i] for r in sample] for i, c in enumerate(names)}
    plan = leakscope.plan_from_rows({table: columns}, source=source, sample_rows=sample_rows, **options)
    plan_json = json.dumps(plan)
    shared = sdf.sparkSession.sparkContext.broadcast(plan_json)

    def count(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from leakscope import _native as native

        counter = native.Counter(shared.value)
        for batch in batches:
            if batch.num_rows:
                counter.add_columns(0, [col.to_pylist() for col in batch.columns])
        yield pa.RecordBatch.from_pydict({"partial": [counter.finish()]})

    partials = sdf.mapInArrow(count, "partial string").rdd.map(lambda r: r["partial"])
    return _finish(plan_json, partials)


def file_tasks(
    paths: Sequence[Union[str, "os.PathLike[str]"]],
    block_bytes: int = DEFAULT_BLOCK_BYTES,
    multiline_fields: bool = True,
    **options: Any,
) -> List[Tuple[str, int, int, int]]:
    """The tasks :func:`scan_files` runs: ``(path, start, end, header_end)`` per task, ``end =
    -1`` meaning the whole file. Plain (uncompressed, UTF-8) CSV/TSV/NDJSON files larger than
    ``block_bytes`` are cut at record boundaries by the parallel reader's cutter; a range past
    the first is read after the file's header record (``0..header_end``).

    CSV/TSV cuts must follow quotes (a quoted field may hold a newline), so the driver reads such
    a file once to cut it; with ``multiline_fields=False`` (like Spark's own ``multiLine=false``)
    and for NDJSON, cuts are found by seeking, without reading the file."""
    opts = json.dumps({k: v for k, v in options.items() if v is not None})
    tasks: List[Tuple[str, int, int, int]] = []
    for p in paths:
        path = os.fspath(p)
        size = os.path.getsize(path) if os.path.isfile(path) else 0
        if size <= block_bytes:
            tasks.append((path, 0, -1, 0))
            continue
        info = json.loads(_native.sniff(path, opts))
        encoding = (info.get("encoding") or "").upper()
        if (
            info.get("format") not in _CUTTABLE
            or info.get("compression")
            or encoding not in ("UTF-8", "ASCII", "US-ASCII", "")
        ):
            tasks.append((path, 0, -1, 0))
            continue
        ndjson = info["format"] == "ndjson"
        delimiter = info.get("delimiter") or ("\t" if info["format"] == "tsv" else ",")
        header_end, starts = _native.record_cuts(path, block_bytes, delimiter, not ndjson and multiline_fields)
        if ndjson or not info.get("has_header", True):
            header_end = 0
        ends = starts[1:] + [size]
        tasks.extend((path, s, e, header_end) for s, e in zip(starts, ends))
    return tasks


def scan_files(
    spark: Any,
    paths: Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]],
    *,
    block_bytes: int = DEFAULT_BLOCK_BYTES,
    sample_bytes_per_file: int = 64 << 20,
    multiline_fields: bool = True,
    **options: Any,
) -> Dict[str, Any]:
    """Scan dump files on the cluster and return one ``leakscope.scan/1`` profile.

    The driver decides the plan from the head of every file (at most ``sample_bytes_per_file``
    of cell text each) and cuts big CSV/TSV/NDJSON files into ``block_bytes`` ranges at record
    boundaries (reading each such file once, as the parallel reader does); each range or whole
    file is one Spark task counting a partial; the driver merges them. Paths must be readable
    from every executor. ``multiline_fields=False`` lets the driver cut CSV files without
    reading them (see :func:`file_tasks`). Options as :func:`leakscope.scan`.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ps = [os.fspath(p) for p in paths]
    if not ps:
        raise ValueError("no paths given")
    for p in ps:
        if not os.path.exists(p):
            raise FileNotFoundError("no such file: %s" % p)
    plan = leakscope.plan_from_sample(ps, stop_after_bytes=sample_bytes_per_file, **options)
    plan_json = json.dumps(plan)
    read_opts = {k: v for k, v in options.items() if k not in ("found_on", "reveal", "sample_rows", "sample_bytes", "exact_individuals_limit")}
    tasks = file_tasks(ps, block_bytes, multiline_fields, **read_opts)
    # A Spark task has one core: its reader parses on the task's thread (threads=1) unless told.
    read_opts.setdefault("threads", 1)
    sc = spark.sparkContext
    shared = sc.broadcast(plan_json)
    opts = json.dumps({k: v for k, v in read_opts.items() if v is not None})

    def run(items: Iterator[Tuple[str, int, int, int]]) -> Iterator[str]:
        from leakscope import _native as native

        for path, start, end, header_end in items:
            if end < 0:
                yield native.scan_partial_paths(shared.value, [path], opts)
            else:
                yield native.scan_partial_range(shared.value, path, start, end, header_end, opts)

    partials = sc.parallelize(tasks, max(1, len(tasks))).mapPartitions(run)
    return _finish(plan_json, partials)


def _merge_two(a: str, b: str) -> str:
    from leakscope import _native as native

    return native.merge([a, b])


def _tree_merge(partials: Any) -> str:
    """Merges an RDD of partials on the executors in a tree (``treeReduce``): the driver
    receives a few partials, not one per task, so its serial work does not grow with the
    number of tasks."""
    return partials.treeReduce(_merge_two, depth=2)


def _finish(plan_json: str, partials: Any) -> Dict[str, Any]:
    try:
        merged = [_tree_merge(partials)]
    except ValueError:
        # No partition at all (an empty DataFrame or no task): the profile of nothing.
        merged = []
    return leakscope.finish(plan_json, merged)


def columns_dataframe(spark: Any, profile: Dict[str, Any]) -> Any:
    """Per-file, per-column results of a profile as a DataFrame: ``source``, ``table``,
    ``rows``, ``column``, ``class``, ``kind``, ``confidence``, ``fill_rate``,
    ``distinct_estimate``, ``validation_share`` (examples are left out)."""
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    schema = StructType(
        [
            StructField("source", StringType()),
            StructField("table", StringType()),
            StructField("rows", LongType()),
            StructField("column", StringType()),
            StructField("class", StringType()),
            StructField("kind", StringType()),
            StructField("confidence", DoubleType()),
            StructField("fill_rate", DoubleType()),
            StructField("distinct_estimate", LongType()),
            StructField("validation_share", DoubleType()),
        ]
    )
    rows = [
        (
            t["source"],
            t["name"],
            int(t["rows"]),
            c["name"],
            c["class"],
            c.get("kind"),
            float(c["confidence"]),
            float(c["fill_rate"]),
            int(c["distinct_estimate"]),
            float(c["validation_share"]),
        )
        for t in profile.get("tables", [])
        for c in t.get("columns", [])
    ]
    return spark.createDataFrame(rows, schema)
