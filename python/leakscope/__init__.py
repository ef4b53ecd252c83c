"""leakscope: triage leaks of customer data from Python (and Spark, see :mod:`leakscope.spark`).

The engine is the Rust one the ``leakscope`` command runs; results are the same documents
(``leakscope.scan/1`` and friends) as Python dicts. Raw leaked values never appear in results
unless ``reveal=True``; work runs with the GIL released.

One-shot::

    import leakscope
    profile = leakscope.scan(["dump.csv"])
    print(profile["rows"], profile["individuals"]["estimate"])

Distributed (the building blocks :mod:`leakscope.spark` uses)::

    plan = leakscope.plan_from_sample(["dump.csv"])          # column decisions, once
    parts = [leakscope.scan_partial(plan, paths=[p]) for p in chunks]
    profile = leakscope.finish(plan, [leakscope.merge(parts)])

Errors: bad arguments raise ``ValueError``, missing files ``FileNotFoundError`` (an
``OSError``), and a scan with no usable result :class:`LeakscopeError`.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _native
from ._native import LeakscopeError

__all__ = [
    "LeakscopeError",
    "scan",
    "inspect",
    "classify",
    "detect",
    "verify",
    "obligations",
    "plan_from_sample",
    "plan_from_rows",
    "scan_partial",
    "merge",
    "finish",
    "__version__",
]

__version__: str = _native.__version__

PathLike = Union[str, "os.PathLike[str]"]
Plan = Dict[str, Any]
Partial = Dict[str, Any]

_SCAN_OPTIONS = {
    "sample_rows",
    "sample_bytes",
    "found_on",
    "reveal",
    "threads",
    "exact_individuals_limit",
    "encoding",
    "password",
    "max_expanded_bytes",
    "max_ratio",
    "max_depth",
    "max_record_bytes",
    "max_columns",
}


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> List[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = [os.fspath(p) for p in paths]
    if not out:
        raise ValueError("no paths given")
    return out


def _options(options: Mapping[str, Any]) -> str:
    unknown = sorted(set(options) - _SCAN_OPTIONS)
    if unknown:
        raise ValueError(
            "unknown option(s): %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(_SCAN_OPTIONS)))
        )
    return json.dumps({k: v for k, v in options.items() if v is not None})


def _doc(value: Union[str, Mapping[str, Any]]) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def scan(
    paths: Union[PathLike, Iterable[PathLike]],
    progress: Optional[Callable[[Dict[str, Any]], None]] = None,
    **options: Any,
) -> Dict[str, Any]:
    """Scan files, directories or archives; return the ``leakscope.scan/1`` profile as a dict.

    Options (all optional): ``sample_rows`` (rows per table for the column decision, default
    10,000), ``sample_bytes``, ``found_on`` (``YYYY-MM-DD``), ``reveal`` (keep raw examples;
    default masked), ``threads`` (0 = one per core), ``exact_individuals_limit``, and the
    reader's ``encoding``, ``password``, ``max_expanded_bytes``, ``max_ratio``, ``max_depth``,
    ``max_record_bytes``, ``max_columns``.

    ``progress`` is called (at most ten times a second) with a dict of ``rows``,
    ``text_bytes``, ``source_bytes_done``, ``sources_started`` and ``current_source``; an
    exception it raises is re-raised when the scan returns.

    Raises ``FileNotFoundError`` for a missing path, ``ValueError`` for bad options and
    :class:`LeakscopeError` when nothing could be read.
    """
    return json.loads(_native.scan(_paths(paths), _options(options), progress))


def inspect(paths: Union[PathLike, Iterable[PathLike]], **options: Any) -> Dict[str, Any]:
    """What paths hold (``leakscope.inspect/1``): sources with format, encoding, size and
    compression chain, tables with headers and row counts, located diagnostics. Never cell
    values; names that are themselves identifiers are masked. Takes the reader options of
    :func:`scan`."""
    return json.loads(_native.inspect(_paths(paths), _options(options)))


def classify(values: Sequence[Optional[str]], header: Optional[str] = None) -> Dict[str, Any]:
    """The column decision for a column of ``values`` (with its ``header``, if any):
    ``{"schema": "leakscope.classify/1", "class", "kind", "confidence", "evidence",
    "validation_share", "mixed", "embedded", "hibp"}``. No value appears in the result."""
    return json.loads(_native.classify(["" if v is None else str(v) for v in values], header))


def detect(value: str, header: Optional[str] = None, reveal: bool = False) -> Dict[str, Any]:
    """Which detectors accept one value (``leakscope.detect/1``), and the decision for a
    one-value column under ``header``. Normalised forms are masked unless ``reveal``."""
    return json.loads(_native.detect(str(value), header, reveal))


def verify(
    samples: Union[PathLike, Iterable[PathLike]],
    reference: Union[str, Iterable[str]],
    *,
    secret: Optional[PathLike] = None,
    table: Optional[str] = None,
    query: Optional[str] = None,
    id_column: Optional[str] = None,
    tenant_column: Optional[str] = None,
    updated_column: Optional[str] = None,
    default_country: Optional[str] = None,
    map: Sequence[str] = (),
    claimed_rows: Optional[int] = None,
    today: Optional[str] = None,
    **options: Any,
) -> Dict[str, Any]:
    """Is this leak ours and is it real? Matches ``samples`` against ``reference`` (files, or
    one ``postgres://``/``sqlite://`` URL with ``table``/``query``) by keyed hashes under the
    installation secret (``secret`` file, else the data directory's from ``leakscope init``).
    Returns ``verify.json`` as a dict (verdict, matches, affected merchants; no raw values)."""
    refs = [reference] if isinstance(reference, str) else list(reference)
    return json.loads(
        _native.verify(
            _paths(samples),
            refs,
            None if secret is None else os.fspath(secret),
            table,
            query,
            id_column,
            tenant_column,
            updated_column,
            default_country,
            list(map),
            claimed_rows,
            today,
            _options(options),
        )
    )


def obligations(
    profile: Union[str, Mapping[str, Any]],
    *,
    discovered_at: Optional[str] = None,
    aware_at: Optional[str] = None,
    assessed_at: Optional[str] = None,
    occurred_at: Optional[str] = None,
    tz: str = "UTC",
    ciio: bool = False,
    processor: bool = False,
    encrypted: bool = False,
    sector: Optional[str] = None,
    established_in: Sequence[str] = (),
    affected: Optional[Mapping[str, int]] = None,
    now: Optional[str] = None,
) -> Dict[str, Any]:
    """Which legal notifications a leak triggers, to whom, by when: the obligations report
    for a ``leakscope.scan/1`` profile (dict or JSON text) under the built-in rules and the
    organisation's facts (times as ``YYYY-MM-DD[THH:MM]`` in ``tz``)."""
    return json.loads(
        _native.obligations(
            _doc(profile),
            discovered_at,
            aware_at,
            assessed_at,
            occurred_at,
            tz,
            ciio,
            processor,
            encrypted,
            sector,
            list(established_in),
            dict(affected or {}),
            now,
        )
    )


def plan_from_sample(
    paths: Union[PathLike, Iterable[PathLike]],
    stop_after_bytes: Optional[int] = None,
    **options: Any,
) -> Plan:
    """Decide every table's columns from its first ``sample_rows`` rows and return the scan
    plan (``leakscope.plan/1``). Reading stops after ``stop_after_bytes`` of cell text when
    given. The plan holds the run's secret key seed: treat it like a key."""
    return json.loads(_native.plan_from_paths(_paths(paths), _options(options), stop_after_bytes))


def plan_from_rows(
    tables: Mapping[str, Any],
    source: str = "dataframe",
    **options: Any,
) -> Plan:
    """A scan plan from in-memory samples: ``{table name: {column name: [cells...]}}`` (cells
    are strings or ``None``)."""
    spec = []
    for name, columns in tables.items():
        headers = list(columns)
        cols = [[None if v is None else str(v) for v in columns[h]] for h in headers]
        spec.append((str(name), [str(h) for h in headers], cols))
    return json.loads(_native.plan_from_rows(spec, _options(options), source))


def scan_partial(
    plan: Union[str, Plan],
    paths: Union[PathLike, Iterable[PathLike], None] = None,
    *,
    table: Union[int, str, None] = None,
    columns: Optional[Sequence[Sequence[Optional[str]]]] = None,
    byte_range: Optional[Sequence[int]] = None,
    header_end: int = 0,
    **options: Any,
) -> Partial:
    """Count rows under ``plan`` into a partial (``leakscope.partial/1``) to merge later.

    Either ``paths`` (read whole; with ``byte_range=(start, end)`` one record-aligned range of
    one CSV/NDJSON file, its header record being ``0..header_end``), or in-memory ``columns``
    (a list of columns of cells) of plan table ``table`` (index or name).
    """
    doc = _doc(plan)
    if columns is not None:
        if table is None:
            raise ValueError("columns need the plan table they belong to (table=)")
        index = table if isinstance(table, int) else _table_index(doc, str(table))
        cols = [[None if v is None else str(v) for v in c] for c in columns]
        return json.loads(_native.scan_partial_rows(doc, index, cols))
    if paths is None:
        raise ValueError("give paths= or columns=")
    ps = _paths(paths)
    if byte_range is not None:
        if len(ps) != 1:
            raise ValueError("byte_range reads one file")
        start, end = (int(x) for x in byte_range)
        return json.loads(_native.scan_partial_range(doc, ps[0], start, end, header_end, _options(options)))
    return json.loads(_native.scan_partial_paths(doc, ps, _options(options)))


def _table_index(plan: str, name: str) -> int:
    for i, (_source, tname, _headers) in enumerate(_native.plan_tables(plan)):
        if tname == name:
            return i
    raise ValueError("no table %r in the plan" % name)


def merge(partials: Iterable[Union[str, Partial]]) -> Partial:
    """Merge partials counted under the same plan (associative and commutative: any grouping,
    any order). Raises :class:`LeakscopeError` for partials of different plans."""
    docs = [_doc(p) for p in partials]
    if not docs:
        raise ValueError("no partials to merge")
    return json.loads(_native.merge(docs))


def finish(plan: Union[str, Plan], partials: Iterable[Union[str, Partial]]) -> Dict[str, Any]:
    """The ``leakscope.scan/1`` profile of everything ``partials`` counted under ``plan``."""
    return json.loads(_native.finish(_doc(plan), [_doc(p) for p in partials]))
