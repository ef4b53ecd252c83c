"""Type stubs of the compiled module (documents cross as JSON text)."""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

__version__: str

class LeakscopeError(Exception):
    """A leakscope operation produced no usable result."""

def scan(
    paths: List[str], options: str = "{}", progress: Optional[Callable[[Dict[str, Any]], Any]] = None
) -> str: ...
def inspect(paths: List[str], options: str = "{}") -> str: ...
def classify(values: List[str], header: Optional[str] = None) -> str: ...
def detect(value: str, header: Optional[str] = None, reveal: bool = False) -> str: ...
def verify(
    samples: List[str],
    reference: List[str],
    secret: Optional[str] = None,
    table: Optional[str] = None,
    query: Optional[str] = None,
    id_column: Optional[str] = None,
    tenant_column: Optional[str] = None,
    updated_column: Optional[str] = None,
    default_country: Optional[str] = None,
    map: List[str] = ...,
    claimed_rows: Optional[int] = None,
    today: Optional[str] = None,
    options: str = "{}",
) -> str: ...
def obligations(
    profile: str,
    discovered_at: Optional[str] = None,
    aware_at: Optional[str] = None,
    assessed_at: Optional[str] = None,
    occurred_at: Optional[str] = None,
    tz: str = "UTC",
    ciio: bool = False,
    processor: bool = False,
    encrypted: bool = False,
    sector: Optional[str] = None,
    established_in: List[str] = ...,
    affected: Dict[str, int] = ...,
    now: Optional[str] = None,
) -> str: ...
def plan_from_paths(paths: List[str], options: str = "{}", stop_after_bytes: Optional[int] = None) -> str: ...
def plan_from_rows(
    tables: List[Tuple[str, List[str], List[List[Optional[str]]]]], options: str = "{}", source: str = "dataframe"
) -> str: ...
def plan_tables(plan: str) -> List[Tuple[str, str, List[str]]]: ...
def scan_partial_rows(plan: str, table: int, columns: List[List[Optional[str]]]) -> str: ...
def scan_partial_paths(plan: str, paths: List[str], options: str = "{}") -> str: ...
def scan_partial_range(
    plan: str, path: str, start: int, end: int, header_end: int = 0, options: str = "{}"
) -> str: ...
def merge(partials: Sequence[str]) -> str: ...
def finish(plan: str, partials: Sequence[str]) -> str: ...
def record_cuts(path: str, block_bytes: int, delimiter: str = ",", quoting: bool = True) -> Tuple[int, List[int]]: ...
def sniff(path: str, options: str = "{}") -> str: ...

class Counter:
    """Counts batches of in-memory columns under a plan into one partial."""

    def __init__(self, plan: str) -> None: ...
    def add_columns(self, table: int, columns: List[List[Optional[str]]]) -> None: ...
    def finish(self) -> str: ...
