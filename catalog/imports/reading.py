"""Reading a CSV file: its header row (read and checked before anything is written), its
data rows counted for progress, and the text stream rows are read from; garbage collected
less often while rows stream through.
"""

from __future__ import annotations

import csv
import gc
import io
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from typing import IO

from ..models import ImportKind, ParameterDefinition
from .columns import (
    CATALOG_COLUMNS,
    PARAM_PREFIX,
    PRICE_STOCK_COLUMNS,
    REQUIRED_COLUMNS,
    SUPPLIER_COLUMNS,
    ImportFileError,
)


def read_header(binary: IO[bytes]) -> list[str]:
    """The column names of a CSV file's first row; leaves ``binary`` open (not rewound)."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
    try:
        header = next(csv.reader(text), [])
    except csv.Error as exc:
        raise ImportFileError(f"The file is not a readable CSV file: {exc}.") from exc
    finally:
        text.detach()
    if any("\ufffd" in name for name in header):
        raise ImportFileError("The file is not UTF-8 text (is it a spreadsheet? Save it as CSV).")
    return [name.strip() for name in header]


def check_header(columns: Sequence[str], *, kind: str) -> None:
    """Raise ImportFileError naming every problem of the header row, or return quietly."""
    label = ImportKind(kind).label
    if not any(columns):
        raise ImportFileError(
            "The file is empty: its first row must be the header (see the import format)."
        )
    allowed = CATALOG_COLUMNS if kind == ImportKind.CATALOG else PRICE_STOCK_COLUMNS
    takes_params = kind == ImportKind.CATALOG
    problems = []
    unnamed = [str(index) for index, name in enumerate(columns, start=1) if not name]
    if unnamed:
        problems.append(f"column {', '.join(unnamed)} has no name")
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        problems.append(f"repeated column {_names(repeated)}")
    unknown = [
        name
        for name in columns
        if name and name not in allowed and not (takes_params and name.startswith(PARAM_PREFIX))
    ]
    if unknown:
        problems.append(
            f"unknown column {_names(unknown)} (allowed: {', '.join(allowed)}"
            + (", param:<key>)" if takes_params else ")")
        )
    missing = [name for name in REQUIRED_COLUMNS[kind] if name not in columns]
    if missing:
        problems.append(f"missing required column {_names(missing)}")
    if takes_params:
        keys = [name[len(PARAM_PREFIX) :] for name in columns if name.startswith(PARAM_PREFIX)]
        known = set(ParameterDefinition.objects.filter(key__in=keys).values_list("key", flat=True))
        strangers = [key for key in keys if key not in known]
        if strangers:
            problems.append(
                "no category has the parameter " + _names(PARAM_PREFIX + key for key in strangers)
            )
    if "supplier" in columns:
        lacking = [c for c in ("supplier_quantity", "supplier_lead_days") if c not in columns]
        if lacking:
            problems.append(f"column supplier needs {_names(lacking)} too")
    else:
        orphans = [name for name in SUPPLIER_COLUMNS[1:] if name in columns]
        if orphans:
            problems.append(f"{_names(orphans)} need the supplier column")
    if "reel_prices" in columns and "reel_quantity" not in columns:
        problems.append("column reel_prices needs the reel_quantity column")
    if problems:
        raise ImportFileError(f"The header is not a {label} header: " + "; ".join(problems) + ".")


def _names(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def count_rows(binary: IO[bytes]) -> int:
    """Data rows in a CSV file (blank rows not counted), read as a stream for progress."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
    try:
        return max(0, sum(1 for cells in csv.reader(text) if any(cells)) - 1)
    except csv.Error:
        return 0
    finally:
        text.detach()


def _text(binary: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")


# Allocations between young-generation garbage collections while rows stream through (the
# default, 700, collects every few rows: each makes dozens of short-lived tuples and dicts,
# and a batch waiting to be written makes every older collection scan it again).
IMPORT_GC_THRESHOLD = 50_000
_gc_lock = threading.Lock()
_gc_importers = 0
_gc_threshold: tuple[int, ...] = ()


@contextmanager
def _fewer_collections():
    """Collect garbage less often while an import runs; the setting is the process's, so it
    is put back when the last import running in it ends."""
    global _gc_importers, _gc_threshold
    with _gc_lock:
        if not _gc_importers:
            _gc_threshold = gc.get_threshold()
            gc.set_threshold(max(IMPORT_GC_THRESHOLD, _gc_threshold[0]), *_gc_threshold[1:])
        _gc_importers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_importers -= 1
            if not _gc_importers:
                gc.set_threshold(*_gc_threshold)

