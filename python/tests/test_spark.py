"""leakscope.spark against real Spark in local[2] mode: the profiles of scan_dataframe and
scan_files equal the engine's own scan of the same generated leak, field by field."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

import leakscope

try:
    import pyarrow  # noqa: F401
    import pyspark  # noqa: F401

    HAVE_SPARK = shutil.which("java") is not None
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_SPARK = False

if not HAVE_SPARK:
    if os.environ.get("CI") == "true":
        raise RuntimeError("pyspark, pyarrow and a JRE are required in CI (.ci/install-deps.sh)")
    pytest.skip("skipping the Spark tests: pyspark/pyarrow or java not installed", allow_module_level=True)

from leakscope import spark as ls  # noqa: E402

FIELDS = ["rows", "individuals", "data_classes", "data_classes_hibp", "countries", "records", "tenants", "passwords", "sensitivity"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[2]")
        .appName("leakscope-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    yield s
    s.stop()


def same(got: Dict[str, Any], want: Dict[str, Any], tables: bool = True) -> None:
    for f in FIELDS:
        assert got[f] == want[f], "field %s differs" % f
    if tables:
        assert got["tables"] == want["tables"]
        assert got["sources"] == want["sources"]


def test_scan_files_equals_the_engines_scan(spark: Any, leak_dir: Path) -> None:
    paths = [str(leak_dir / "customers.csv"), str(leak_dir / "orders.ndjson"), str(leak_dir / "small.csv")]
    want = leakscope.scan(paths, sample_rows=2_000, threads=1)
    tasks = ls.file_tasks(paths, block_bytes=64 << 10)
    assert len(tasks) > 8  # both big files are cut
    got = ls.scan_files(spark, paths, block_bytes=64 << 10, sample_rows=2_000)
    same(got, want)


def test_scan_dataframe_equals_the_engines_scan(spark: Any, leak_dir: Path) -> None:
    path = str(leak_dir / "customers.csv")
    want = leakscope.scan(path, sample_rows=2_000, threads=1)
    df = spark.read.option("header", True).option("inferSchema", False).csv(path).repartition(4)
    # repartition shuffles rows: take the sample from the file's order, as the engine does.
    ordered = spark.read.option("header", True).csv(path)
    got = ls.scan_dataframe(ordered, table="customers", source=path, sample_rows=2_000)
    same(got, want, tables=False)
    assert got["tables"][0]["columns"] == want["tables"][0]["columns"]
    assert got["tables"][0]["rows"] == want["tables"][0]["rows"]
    # Rows spread over partitions in another order count the same (decisions are the plan's).
    shuffled = ls.scan_dataframe(df, table="customers", source=path, sample_rows=2_000)
    assert shuffled["rows"] == want["rows"]
    assert shuffled["individuals"]["estimate"] == want["individuals"]["estimate"]
    assert shuffled["passwords"] == want["passwords"]


def test_columns_come_back_as_a_dataframe(spark: Any, leak_dir: Path) -> None:
    p = ls.scan_files(spark, [str(leak_dir / "customers.csv")], block_bytes=64 << 10, sample_rows=2_000)
    df = ls.columns_dataframe(spark, p)
    rows = {r["column"]: r for r in df.collect()}
    assert rows["email"]["class"] == "email"
    assert rows["email"]["rows"] == 12_000
    assert set(df.columns) >= {"source", "table", "column", "class", "fill_rate", "distinct_estimate"}
