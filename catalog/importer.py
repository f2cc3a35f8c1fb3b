"""Catalog import: CSV files of parts and price-and-stock feeds, streamed and upserted in batches.

The file format is docs/catalog-import.md. Every data row is checked whole in Python first;
a row with any bad cell goes to the reject report and nothing of it reaches the database.
Valid rows are written a batch at a time, each batch in one transaction, with bulk upserts:
COPY into a temporary table + ``INSERT … ON CONFLICT`` on PostgreSQL, ``bulk_create`` with
``update_conflicts`` elsewhere (the SQLite demo); the rows of new parts are COPYed straight
into their tables. The file is read as a stream and the report written as rows are rejected,
so memory does not grow with the file.

On PostgreSQL two threads write batches side by side, and a large file on disk is read and
checked by a second process (``_CheckingProcess``) a batch ahead of them, so checking and
writing run on two cores. The import keeps each part's listing copies (first-break price,
available stock) in step in the same transactions, as ``services.part_listing_refresh``
computes them.
"""

from __future__ import annotations

import csv
import gc
import io
import logging
import os
import pickle
import re
import select
import subprocess
import sys
import tempfile
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import (
    DEFAULT_DB_ALIAS,
    DataError,
    IntegrityError,
    connection,
    connections,
    models,
    transaction,
)
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import slugify

from . import values
from .db import exact_mpn_lookups
from .models import (
    SKU_OFFSET,
    CatalogImport,
    Category,
    ImportKind,
    ImportStatus,
    Lifecycle,
    Manufacturer,
    ManufacturerAlias,
    PackagingKind,
    PackagingOption,
    ParameterDefinition,
    ParameterKind,
    ParameterValue,
    Part,
    PriceBreak,
    RoHS,
    Stock,
    Supplier,
    SupplierOffer,
    normalize_mpn,
    normalize_name,
    sku_for_id,
)
from .services import part_listing_refresh
from .spreadsheets import safe_row, unquote_cell

__all__ = [
    "ImportFileError",
    "ImportResult",
    "catalog_import_run",
    "check_header",
    "count_rows",
    "import_catalog_file",
    "read_header",
]

logger = logging.getLogger(__name__)

PARAM_PREFIX = "param:"
SUPPLIER_COLUMNS = ("supplier", "supplier_quantity", "supplier_lead_days", "supplier_cost")
PRICE_STOCK_COLUMNS = (
    "manufacturer",
    "mpn",
    "stock",
    "prices",
    "packaging_kind",
    "reel_quantity",
    "reel_prices",
    *SUPPLIER_COLUMNS,
)
CATALOG_COLUMNS = (
    "manufacturer",
    "mpn",
    "category",
    "description",
    "package",
    "datasheet_url",
    "lifecycle",
    "rohs",
    "msl",
    "packaging",
    "moq",
    "order_multiple",
    *PRICE_STOCK_COLUMNS[2:],
)
REQUIRED_COLUMNS = {
    ImportKind.CATALOG: ("manufacturer", "mpn", "category"),
    ImportKind.PRICE_STOCK: ("manufacturer", "mpn"),
}
REPORT_COLUMNS = ("row", "column", "value", "reason")

# Batches written at once on PostgreSQL, each by its own thread and connection.
WRITERS = 2
# Files from this size on (about 50,000 rows) are read and checked by a second process; the
# second of CPU it takes to start only pays for itself on a file that takes a while.
CHECKING_PROCESS_MIN_BYTES = 16 * 2**20
MAX_INT = 2_147_483_647
MAX_LEAD_DAYS = 32_767
TEXT_LIMITS = {"description": 500, "package": 60, "msl": 20, "packaging": 60}
LADDER_KINDS = tuple(
    kind.value
    for kind in (PackagingKind.CUT_TAPE, PackagingKind.TRAY, PackagingKind.TUBE, PackagingKind.BULK)
)
ROHS_WORDS = {
    "yes": RoHS.COMPLIANT.value,
    "no": RoHS.NON_COMPLIANT.value,
    "unknown": RoHS.UNKNOWN.value,
}

# Part columns a catalog row can set, and what a new part gets when the row leaves one empty.
PART_FIELDS = (
    "category_id",
    "package",
    "description",
    "datasheet_url",
    "lifecycle",
    "rohs",
    "msl",
    "packaging",
    "moq",
    "order_multiple",
)
PART_DEFAULTS: dict[str, Any] = {
    "package": "",
    "description": "",
    "datasheet_url": "",
    "lifecycle": Lifecycle.ACTIVE.value,
    "rohs": RoHS.UNKNOWN.value,
    "msl": "",
    "packaging": "",
    "moq": 1,
    "order_multiple": 1,
}
_PART_COLUMNS = (
    "mpn",
    "normalized_mpn",
    "manufacturer_id",
    *PART_FIELDS,
    "created_at",
    "updated_at",
    "page_changed_at",
    "first_break_price",
    "stock_available",
)
_part_fields_of = itemgetter(*PART_FIELDS)
# The MPN as first imported stays: it is in the part's URL. The listing copies of a part that
# exists are not taken from the row: they depend on its other ladders and reserved stock too.
_PART_UPDATES = (*PART_FIELDS, "updated_at", "page_changed_at")

_INT_RE = re.compile(r"[0-9]+")
_DECIMAL_RE = re.compile(r"[0-9]{1,13}(?:\.[0-9]{1,6})?|\.[0-9]{1,6}")
_STEP_RE = re.compile(r"([0-9]+):([0-9]{1,13}(?:\.[0-9]{1,6})?|\.[0-9]{1,6})")
_MICRO = Decimal("0.000001")
_SUPPLIER_CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_url_validator = URLValidator(schemes=["http", "https"])
# Plain http(s) URLs with a DNS name, a subset of what URLValidator accepts, skip its regex.
_PLAIN_URL_RE = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::[0-9]{1,5})?(?:/[^\s]*)?",
    re.IGNORECASE,
)
LIFECYCLES = frozenset(Lifecycle.values)
NUMBER = ParameterKind.NUMBER.value
CUT_TAPE = PackagingKind.CUT_TAPE.value
REEL = PackagingKind.REEL.value


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (header, encoding, CSV syntax)."""


@dataclass
class ImportResult:
    rows_total: int
    created: int
    updated: int
    rejected: int
    report_path: Path | None


# --- Header ----------------------------------------------------------------------------------


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


# --- Public entry points ---------------------------------------------------------------------


def import_catalog_file(
    *,
    path: Path,
    kind: str = ImportKind.CATALOG,
    report_path: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import a catalog file or price-and-stock feed; rejected rows go to a CSV report.

    Raises ImportFileError, having written nothing, when the header is wrong. The report is
    written to ``report_path`` (a temporary file when None) only if a row is rejected;
    ``ImportResult.report_path`` is None when none was. ``progress`` gets the rows read so
    far after each batch.
    """
    on_batch = (lambda result: progress(result.rows_total)) if progress else None
    with open(path, "rb") as binary:
        importer = _Importer(kind=kind, report_path=report_path, on_batch=on_batch)
        return importer.run(binary, path=Path(path))


def catalog_import_run(*, catalog_import_id: int) -> None:
    """Run an uploaded CatalogImport: pending → running → done or failed, saving progress.

    Claiming the row is one conditional UPDATE, so a second delivery of the task (or a row
    that already ran) is left alone.
    """
    claimed = CatalogImport.objects.filter(
        pk=catalog_import_id, status=ImportStatus.PENDING
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return
    job = CatalogImport.objects.get(pk=catalog_import_id)
    with tempfile.TemporaryDirectory(prefix="catalog-import-") as workdir:
        report_path = Path(workdir) / f"import-{job.pk}-rejects.csv"
        importer = _Importer(
            kind=job.kind, report_path=report_path, on_batch=lambda r: _save_progress(job.pk, r)
        )
        try:
            with job.file.open("rb") as binary:
                rows_total = count_rows(binary)
                CatalogImport.objects.filter(pk=job.pk).update(rows_total=rows_total)
                binary.seek(0)
                result = importer.run(binary, path=_local_path(job.file))
        except Exception as exc:
            if not isinstance(exc, ImportFileError):
                logger.exception("catalog import %s failed", job.pk)
            result = importer.result()
            _finish(job, result, status=ImportStatus.FAILED, error=str(exc) or repr(exc))
            return
        _finish(job, result, status=ImportStatus.DONE, error="")


def _local_path(file) -> Path | None:
    """Where a stored file is on this machine's disk; None in remote storage."""
    try:
        return Path(file.path)
    except (NotImplementedError, ValueError):
        return None


def _save_progress(job_id: int, result: ImportResult) -> None:
    CatalogImport.objects.filter(pk=job_id).update(
        rows_processed=result.rows_total,
        rows_created=result.created,
        rows_updated=result.updated,
        rows_rejected=result.rejected,
    )


def _finish(job: CatalogImport, result: ImportResult, *, status: str, error: str) -> None:
    job.refresh_from_db()
    job.status = status
    job.error = error
    job.rows_processed = result.rows_total
    job.rows_created = result.created
    job.rows_updated = result.updated
    job.rows_rejected = result.rejected
    if status == ImportStatus.DONE:
        job.rows_total = result.rows_total
    job.finished_at = timezone.now()
    if result.report_path is not None and result.report_path.exists():
        with open(result.report_path, "rb") as report:
            job.report.save(result.report_path.name, File(report), save=False)
    job.save()


# --- Rows ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One data row, checked: everything the write needs, in database terms."""

    number: int
    maker: int | str  # manufacturer id, or the name of one to create
    maker_key: str
    mpn: str
    nmpn: str
    fields: dict[str, Any]
    params: dict[int, tuple[float | None, str]]
    stock: int | None
    ladders: dict[str, tuple[int | None, tuple[tuple[int, str], ...]]]
    offer: tuple[str, int, int, str | None] | None
    part_id: int | None = None
    is_new: bool = False

    @property
    def key(self) -> tuple[int | str, str]:
        return (self.maker if isinstance(self.maker, int) else "+" + self.maker_key, self.nmpn)


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    rejects: list[tuple[int, str, str, str]] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _maker_key(name: str) -> str:
    return normalize_name(name) or "~" + name.casefold()


@lru_cache(maxsize=65536)
def _number(text: str, unit: str) -> values.ParsedValue | str:
    """A numeric parameter value, or why it is not one; part values repeat, so cached."""
    try:
        return values.parse_value(text, unit=unit or None)
    except values.ValueParseError as exc:
        return str(exc)


def _whole(text: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int:
    if text.isdigit() and text.isascii():  # [0-9]+, the common case first
        number = int(text)
        if minimum <= number <= maximum:
            return number
    if not _INT_RE.fullmatch(text):
        raise ValueError(f"must be a whole number, at least {minimum}")
    number = int(text)
    if number < minimum:
        raise ValueError(f"must be at least {minimum}")
    if number > maximum:
        raise ValueError(f"must be at most {maximum}")
    return number


def _money(text: str) -> Decimal:
    if not _DECIMAL_RE.fullmatch(text):
        raise ValueError("must be a number with at most 6 decimals, like 0.0042")
    return Decimal(text)


def _price_text(price: Decimal) -> str:
    """A price as the database gives it back (numeric with 6 decimals, "0.012000"): rows
    carry prices so, to compare them with stored ones and to COPY them as they are."""
    return str(price.quantize(_MICRO))


def _first_break_price(ladders: dict) -> str | None:
    """Unit price at the smallest first break of the non-reel ladders, the lower price on a
    tie; None without one. The rule of services.part_listing_refresh, for a new part."""
    firsts = [breaks[0] for kind, (_, breaks) in ladders.items() if kind != REEL and breaks]
    if len(firsts) > 1:
        firsts.sort(key=lambda first: (first[0], Decimal(first[1])))
    return firsts[0][1] if firsts else None


@lru_cache(maxsize=65536)
def _ladder(text: str) -> tuple[tuple[int, str], ...]:
    """Read "1:0.012|100:0.0061": quantities rising, prices above zero and not rising.

    Cached: a series of parts shares its ladders, and a bad ladder raises (never cached)."""
    breaks: list[tuple[int, Decimal]] = []
    for step in text.split("|"):
        match = _STEP_RE.fullmatch(step)
        if match is None:
            return _ladder_read(text)  # spaces to strip, or a mistake to name
        quantity, price = int(match[1]), Decimal(match[2])
        if not 0 < quantity <= MAX_INT or not price > 0:
            return _ladder_read(text)
        if breaks and (quantity <= breaks[-1][0] or price > breaks[-1][1]):
            return _ladder_read(text)
        breaks.append((quantity, price))
    return tuple((quantity, _price_text(price)) for quantity, price in breaks)


def _ladder_read(text: str) -> tuple[tuple[int, str], ...]:
    """_ladder step by step, naming the first mistake."""
    breaks: list[tuple[int, Decimal]] = []
    for step in text.split("|"):
        quantity_text, colon, price_text = step.partition(":")
        if not colon:
            raise ValueError(f"'{step}' is not min_qty:unit_price")
        try:
            quantity = _whole(quantity_text.strip(), minimum=1)
            price = _money(price_text.strip())
        except ValueError as exc:
            raise ValueError(f"'{step}': quantity or price {exc}") from None
        if price <= 0:
            raise ValueError(f"'{step}': the price must be above 0")
        if breaks and quantity <= breaks[-1][0]:
            raise ValueError(f"quantities must rise: {quantity} follows {breaks[-1][0]}")
        if breaks and price > breaks[-1][1]:
            raise ValueError(
                f"prices must not rise with quantity: {price} at {quantity} "
                f"is above {breaks[-1][1]} at {breaks[-1][0]}"
            )
        breaks.append((quantity, price))
    return tuple((quantity, _price_text(price)) for quantity, price in breaks)


# --- Checking rows ---------------------------------------------------------------------------

# (number, maker, maker_key, mpn, nmpn, fields, params, stock, ladders, offer): a checked row
# as it travels from the checking code (maybe another process) to the writer; see _Row.
_Checked = tuple
# (checked rows, rejects, data rows read so far, rows rejected in the batch, file error, and
# where another reader could go on from after this batch, see _checked_batches)
_Batch = tuple[
    list[_Checked], list[tuple[int, str, str, str]], int, int, str | None, tuple[int, int] | None
]


class _Checker:
    """Checks data rows against the catalog as it was when the file was opened: the
    manufacturers, categories and parameters known then. Picklable, so that a separate
    process can check the rows of a large file while this one writes them."""

    def __init__(
        self,
        *,
        kind: str,
        header: list[str],
        makers: dict[str, int],
        categories: dict[str, int],
        definitions: dict[tuple[int, str], tuple[int, str, str]],
    ) -> None:
        self.kind = kind
        self.catalog = kind == ImportKind.CATALOG
        self.header = header
        self.width = len(header)
        self.makers = dict(makers)  # those created meanwhile are the importer's to resolve
        self.categories = categories
        self.definitions = definitions
        self.param_columns = [
            (name, name[len(PARAM_PREFIX) :]) for name in header if name.startswith(PARAM_PREFIX)
        ]

    def check(self, number: int, cells: list[str], rejects: list) -> _Checked | None:
        """The row ready to write, or None after adding everything wrong with it to
        ``rejects`` as (row, column, value, reason)."""
        errors: list[tuple[str, str, str]] = []
        if len(cells) > self.width:
            extra = ",".join(cells[self.width :])
            errors.append(
                ("", extra, f"the row has {len(cells)} cells, the header {self.width} columns")
            )
        # A quote the store's exports put before a formula-like text is not part of it.
        cell = dict(
            zip(self.header, (unquote_cell(c.strip()) for c in cells), strict=False)
        )
        joined = "".join(cell.values())
        if "\ufffd" in joined:
            for name, value in cell.items():
                if "\ufffd" in value:
                    errors.append((name, value, "not UTF-8 text"))
        if "\x00" in joined:  # PostgreSQL text cannot hold one: it would fail the batch
            for name, value in cell.items():
                if "\x00" in value:
                    shown = value.replace("\x00", "\\0")
                    errors.append((name, shown, "contains a NUL character (\\0); remove it"))

        def bad(column: str, reason: str) -> None:
            errors.append((column, cell.get(column, ""), reason))

        maker: int | str = 0
        maker_key = ""
        name = cell.get("manufacturer", "")
        if not name:
            bad("manufacturer", "required")
        elif len(name) > 120:
            bad("manufacturer", "longer than 120 characters")
        else:
            maker_key = _maker_key(name)
            found = self.makers.get(maker_key)
            if found is not None:
                maker = found
            elif self.catalog:
                maker = name
            else:
                bad("manufacturer", "no such manufacturer; this feed only updates existing parts")

        mpn = cell.get("mpn", "")
        nmpn = normalize_mpn(mpn)
        if not mpn:
            bad("mpn", "required")
        elif len(mpn) > 100:
            bad("mpn", "longer than 100 characters")
        elif not nmpn:
            bad("mpn", "has no letters or digits")

        fields: dict[str, Any] = {}
        params: dict[int, tuple[float | None, str]] = {}
        if self.catalog:
            self._check_part(cell, fields, params, bad)

        stock = None
        if cell.get("stock"):
            try:
                stock = _whole(cell["stock"])
            except ValueError as exc:
                bad("stock", str(exc))

        ladders = self._check_ladders(cell, bad)
        offer = self._check_offer(cell, bad)

        if errors:
            rejects.extend((number, column, value, reason) for column, value, reason in errors)
            return None
        return (number, maker, maker_key, mpn, nmpn, fields, params, stock, ladders, offer)

    def _check_part(self, cell, fields, params, bad) -> None:
        category_id = None
        path = cell.get("category", "").strip("/")
        if not path:
            bad("category", "required")
        else:
            category_id = self.categories.get(path)
            if category_id is None:
                bad("category", "no such category")
            else:
                fields["category_id"] = category_id
        for column, limit in TEXT_LIMITS.items():
            text = cell.get(column)
            if text:
                if len(text) > limit:
                    bad(column, f"longer than {limit} characters")
                fields[column] = text
        url = cell.get("datasheet_url")
        if url:
            try:
                if len(url) > 500:
                    raise ValidationError("too long")
                if not _PLAIN_URL_RE.fullmatch(url):
                    _url_validator(url)
            except ValidationError:
                bad("datasheet_url", "not an http(s) URL of at most 500 characters")
            fields["datasheet_url"] = url
        lifecycle = cell.get("lifecycle")
        if lifecycle:
            fields["lifecycle"] = lifecycle.lower()
            if fields["lifecycle"] not in LIFECYCLES:
                bad("lifecycle", "must be one of " + ", ".join(Lifecycle.values))
        rohs = cell.get("rohs")
        if rohs:
            fields["rohs"] = ROHS_WORDS.get(rohs.lower())
            if fields["rohs"] is None:
                bad("rohs", "must be yes, no or unknown")
        for column in ("moq", "order_multiple"):
            if cell.get(column):
                try:
                    fields[column] = _whole(cell[column], minimum=1)
                except ValueError as exc:
                    bad(column, str(exc))
        for column, key in self.param_columns:
            text = cell.get(column)
            if not text or category_id is None:
                continue
            definition = self.definitions.get((category_id, key))
            if definition is None:
                bad(column, f"category {path} has no parameter '{key}'")
                continue
            definition_id, kind, unit = definition
            if kind == NUMBER:
                parsed = _number(text, unit)
                if isinstance(parsed, str):
                    bad(column, parsed)
                else:
                    params[definition_id] = (parsed.si_value, parsed.text)
            elif len(text) > 120:
                bad(column, "longer than 120 characters")
            else:
                params[definition_id] = (None, text)

    def _check_ladders(self, cell, bad) -> dict:
        ladders: dict[str, tuple[int | None, tuple[tuple[int, str], ...]]] = {}
        kind = cell.get("packaging_kind") or CUT_TAPE
        if kind not in LADDER_KINDS:
            bad(
                "packaging_kind",
                "must be one of " + ", ".join(LADDER_KINDS) + " (full reels go in reel_prices)",
            )
        elif cell.get("prices"):
            try:
                ladders[kind] = (None, _ladder(cell["prices"]))
            except ValueError as exc:
                bad("prices", str(exc))
        reel_text, reel_prices = cell.get("reel_quantity"), cell.get("reel_prices")
        if reel_prices and not reel_text:
            bad("reel_quantity", "required with reel_prices")
        elif reel_text and not reel_prices:
            bad("reel_prices", "required with reel_quantity")
        elif reel_text:
            try:
                reel = _whole(reel_text, minimum=1)
            except ValueError as exc:
                bad("reel_quantity", str(exc))
                return ladders
            try:
                breaks = _ladder(reel_prices)
            except ValueError as exc:
                bad("reel_prices", str(exc))
                return ladders
            uneven = [quantity for quantity, _ in breaks if quantity % reel]
            if uneven:
                bad("reel_prices", f"quantities must be whole reels of {reel}: {uneven[0]} is not")
            else:
                ladders[REEL] = (reel, breaks)
        return ladders

    def _check_offer(self, cell, bad) -> tuple[str, int, int, str | None] | None:
        code = cell.get("supplier", "").lower()
        if not code:
            for column in SUPPLIER_COLUMNS[1:]:
                if cell.get(column):
                    bad(column, "needs a supplier in the same row")
            return None
        offer_ok = True
        if not _SUPPLIER_CODE_RE.fullmatch(code):
            bad("supplier", "a supplier code is letters, digits, - and _, at most 40")
            offer_ok = False
        numbers = []
        for column, maximum in (("supplier_quantity", MAX_INT), ("supplier_lead_days", 32767)):
            if not cell.get(column):
                bad(column, "required with a supplier")
                offer_ok = False
                continue
            try:
                numbers.append(_whole(cell[column], maximum=maximum))
            except ValueError as exc:
                bad(column, str(exc))
                offer_ok = False
        cost = None
        if cell.get("supplier_cost"):
            try:
                cost = _price_text(_money(cell["supplier_cost"]))
            except ValueError as exc:
                bad("supplier_cost", str(exc))
                offer_ok = False
        return (code, numbers[0], numbers[1], cost) if offer_ok else None


def _checked_batches(
    reader: Iterator[list[str]], checker: _Checker, size: int, after: tuple[int, int] = (1, 0)
) -> Iterator[_Batch]:
    """The data rows of a CSV reader, checked and cut into batches; the reader is past the
    record numbered ``after[0]`` (1: the header), of which ``after[1]`` were data rows.

    A batch ends after ``size`` rows read, or before a row for a part already in it, so that
    row is written over the earlier one. The last batch, maybe empty, ends the file or
    carries the reason a CSV error stopped the reading.
    """
    rows: list[_Checked] = []
    keys: set[tuple[int | str, str]] = set()
    rejects: list[tuple[int, str, str, str]] = []
    number, total = after
    first = number + 1
    read = rejected = 0
    try:
        for number, cells in enumerate(reader, start=first):
            if not any(cells):
                continue
            total += 1
            read += 1
            row = checker.check(number, cells, rejects)
            if row is None:
                rejected += 1
            else:
                maker = row[1]
                key = (maker if isinstance(maker, int) else "+" + row[2], row[4])
                if key in keys:
                    yield rows, rejects, total, rejected, None, None
                    rows, keys, rejects, rejected = [], set(), [], 0
                rows.append(row)
                keys.add(key)
            if read >= size:
                yield rows, rejects, total, rejected, None, (number, total)
                rows, keys, rejects, rejected, read = [], set(), [], 0, 0
    except csv.Error as exc:
        error = f"Row {number + 1} is not readable CSV ({exc}); the rows before it were imported."
        yield rows, rejects, total, rejected, error, None
        return
    yield rows, rejects, total, rejected, None, None


def _text(binary: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")


# What the checking process runs: Django set up as here, then _serve_checks.
_CHECKING_PROCESS_CODE = (
    "import django\ndjango.setup()\nfrom catalog.importer import _serve_checks\n_serve_checks()\n"
)


def _serve_checks() -> None:
    """The checking process. Reads (path, checker, batch size) from stdin and opens the file;
    writes True to stdout; reads where to go on from (see _checked_batches), or None; then
    writes each batch from there and None at the end. All pickled."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever else prints goes to stderr, not between the batches
    gc.set_threshold(IMPORT_GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        path, checker, size = pickle.load(sys.stdin.buffer)
        with open(path, "rb") as binary:
            reader = csv.reader(_text(binary))
            next(reader, None)  # the header, checked by the importer
            pickle.dump(True, channel)
            channel.flush()
            after = pickle.load(sys.stdin.buffer)
            if after is None:
                return
            for _ in range(after[0] - 1):
                next(reader)
            for batch in _checked_batches(reader, checker, size, after):
                pickle.dump(batch, channel, protocol=pickle.HIGHEST_PROTOCOL)
                channel.flush()
        pickle.dump(None, channel)
        channel.close()
    except (BrokenPipeError, EOFError):
        pass  # the importer stopped early, or did without this process


class _CheckingProcess:
    """A second process that reads and checks the rows of a large file, a batch ahead of the
    importer, which meanwhile writes the batches it has: the work runs on two cores.

    A fresh interpreter (not a fork of this process with its threads and connections), set
    up as this one; while it starts, the importer checks rows itself, and hands it the rest
    of the file once it is ready. The batches come back through a pipe, in file order.
    """

    # Seconds to wait for the process at a batch boundary before checking the next batch here.
    wait = 0.0

    def __init__(self, path: Path, checker: _Checker, size: int) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}
        self.failed = False
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-c", _CHECKING_PROCESS_CODE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                bufsize=2**20,
            )
        except OSError as exc:
            self.process = None
            self._give_up(exc)
            return
        # Written by a thread: the lookups may fill the pipe before the process reads them.
        message = pickle.dumps((str(path), checker, size), protocol=pickle.HIGHEST_PROTOCOL)
        self.sending = threading.Thread(target=self._send, args=(message,), daemon=True)
        self.sending.start()

    def _send(self, message: bytes) -> None:
        with suppress(BrokenPipeError, ValueError):  # it died, or was stopped
            self.process.stdin.write(message)
            self.process.stdin.flush()

    def ready(self) -> bool:
        """Whether the process is up with the file open."""
        if self.failed:
            return False
        if not select.select([self.process.stdout], [], [], self.wait)[0]:
            return False
        try:
            if pickle.load(self.process.stdout) is True:
                return True
        except (EOFError, pickle.UnpicklingError):
            pass
        self._give_up(f"exit code {self.close()}")
        return False

    def take_over(self, after: tuple[int, int]) -> Iterator[_Batch]:
        """The batches of the rest of the file, after the position ``after``."""
        self.sending.join()
        try:
            pickle.dump(after, self.process.stdin)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died: the next read says so
        while True:
            try:
                batch = pickle.load(self.process.stdout)
            except EOFError:
                raise RuntimeError(
                    f"the process checking the rows ended early (exit code {self.close()})"
                ) from None
            if batch is None:
                return
            yield batch

    def _give_up(self, reason: object) -> None:
        self.failed = True
        logger.warning("catalog import: no second process to check rows (%s)", reason)

    def close(self) -> int | None:
        """Stop the process (done, or no longer wanted) and return its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        self.sending.join()
        for pipe in (self.process.stdin, self.process.stdout):
            with suppress(BrokenPipeError):
                pipe.close()
        return code


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


# --- The importer ----------------------------------------------------------------------------


class _Importer:
    def __init__(
        self,
        *,
        kind: str,
        report_path: Path | None,
        on_batch: Callable[[ImportResult], None] | None = None,
        batch_size: int | None = None,
    ) -> None:
        if kind not in ImportKind.values:
            raise ValueError(f"unknown import kind {kind!r}")
        self.kind = ImportKind(kind)
        self.on_batch = on_batch
        self.batch_size = batch_size or settings.CATALOG_IMPORT_BATCH_SIZE
        self.report = _Report(report_path)
        self.writer: _Writer = (
            _PostgresWriter() if connection.vendor == "postgresql" else _OrmWriter()
        )
        self.rows_total = self.created = self.updated = self.rejected = 0
        self._pipeline: ThreadPoolExecutor | None = None
        self._in_flight: deque[tuple[Future | None, list, int, set]] = deque()
        self._worker_connections: set = set()

    def result(self, *, rows: int | None = None) -> ImportResult:
        return ImportResult(
            rows_total=self.rows_total if rows is None else rows,
            created=self.created,
            updated=self.updated,
            rejected=self.rejected,
            report_path=self.report.path if self.report.used else None,
        )

    def run(self, binary: IO[bytes], *, path: Path | None = None) -> ImportResult:
        """Import the CSV file ``binary``; ``path``, where it is on disk if it is, lets a
        second process check the rows of a large file."""
        text = _text(binary)
        try:
            with _fewer_collections():
                self._run(csv.reader(text), path)
        finally:
            text.detach()
            self.report.close()
        return self.result()

    def _run(self, reader: Iterator[list[str]], path: Path | None) -> None:
        # On PostgreSQL batches are written by worker threads, each with its own connection,
        # while the rows of the next ones are read and checked: the database works on
        # several batches at once. Not inside a caller's transaction, which they could not
        # see.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self._pipeline = ThreadPoolExecutor(WRITERS, thread_name_prefix="catalog-import")
        checking: _CheckingProcess | None = None
        try:
            checker = self._start(reader)
            if self._check_elsewhere(path):
                checking = _CheckingProcess(path, checker, self.batch_size)
            batches = _checked_batches(reader, checker, self.batch_size)
            handed_over = False
            while (batch := next(batches, None)) is not None:
                rows, rejects, total, rejected, error, after = batch
                self.rows_total = total
                self.rejected += rejected
                self._flush([_Row(*row) for row in rows], rejects)
                if error:
                    self._drain()
                    raise ImportFileError(error)
                if after and checking and not handed_over and checking.ready():
                    batches = checking.take_over(after)  # it reads on from there
                    handed_over = True
            self._drain()
        finally:
            if checking is not None:
                checking.close()
            if self._pipeline is not None:
                self._pipeline.shutdown(wait=True)
                for worker_connection in self._worker_connections:
                    worker_connection.close()
                    worker_connection.dec_thread_sharing()

    def _start(self, reader: Iterator[list[str]]) -> _Checker:
        """Read and check the header row, load the lookups and return the row checker."""
        try:
            header = [name.strip() for name in next(reader, [])]
        except csv.Error as exc:
            raise ImportFileError(f"The file is not a readable CSV file: {exc}.") from exc
        if any("\ufffd" in name for name in header):
            raise ImportFileError("The file is not UTF-8 text (save it as CSV in UTF-8).")
        if any("\x00" in name for name in header):
            raise ImportFileError("The header row contains a NUL character (\\0); remove it.")
        check_header(header, kind=self.kind)
        self._load()
        return _Checker(
            kind=self.kind,
            header=header,
            makers=self.makers,
            categories=self.categories,
            definitions=self.definitions,
        )

    def _check_elsewhere(self, path: Path | None) -> bool:
        """Whether a second process should check the rows: for a large file on disk, written
        by the PostgreSQL writers (a small file is done before the process is up)."""
        if path is None or connection.vendor != "postgresql" or not sys.executable:
            return False
        if not os.environ.get("DJANGO_SETTINGS_MODULE"):
            return False  # the new process would not find the settings
        try:
            return os.path.getsize(path) >= CHECKING_PROCESS_MIN_BYTES
        except OSError:
            return False

    def _flush(self, batch: list[_Row], rejects: list) -> None:
        self._resolve_makers(batch)
        self._resolve_suppliers(batch)
        if self._pipeline is None:
            self._apply(
                self._write_safely(batch) if batch else _Outcome(), rejects, self.rows_total
            )
            return
        keys = {row.key for row in batch}
        if any(keys & flying for *_, flying in self._in_flight):
            self._drain()  # a part being written now: this batch must land after it
        elif len(self._in_flight) >= WRITERS:
            self._drain(oldest_only=True)
        future = self._pipeline.submit(self._write_in_worker, batch) if batch else None
        self._in_flight.append((future, rejects, self.rows_total, keys))

    def _write_in_worker(self, batch: list[_Row]) -> _Outcome:
        worker_connection = connections[DEFAULT_DB_ALIAS]
        if worker_connection not in self._worker_connections:
            worker_connection.inc_thread_sharing()  # closed by the main thread at the end
            self._worker_connections.add(worker_connection)
        return self._write_safely(batch)

    def _drain(self, *, oldest_only: bool = False) -> None:
        """Wait for batches being written, in the order they were read, and count them."""
        while self._in_flight:
            future, rejects, rows, _ = self._in_flight.popleft()
            self._apply(future.result() if future else _Outcome(), rejects, rows)
            if oldest_only:
                return

    def _apply(self, outcome: _Outcome, rejects: list, rows: int) -> None:
        """Count a written batch and report its rejects, in row order, as one piece."""
        self.created += outcome.created
        self.updated += outcome.updated
        self.rejected += len({reject[0] for reject in outcome.rejects})
        for reject in sorted(rejects + outcome.rejects, key=itemgetter(0)):
            self.report.add(*reject)
        if self.on_batch is not None:
            self.on_batch(self.result(rows=rows))

    # --- lookups, loaded once per file ---

    def _load(self) -> None:
        self.makers: dict[str, int] = {}
        for maker_id, name in Manufacturer.objects.order_by().values_list("id", "name"):
            self.makers.setdefault(_maker_key(name), maker_id)
        for maker_id, normalized in ManufacturerAlias.objects.order_by().values_list(
            "manufacturer_id", "normalized"
        ):
            if normalized:
                self.makers.setdefault(normalized, maker_id)
        self.suppliers: dict[str, int] = dict(Supplier.objects.order_by().values_list("code", "id"))
        self.categories: dict[str, int] = dict(
            Category.objects.order_by().values_list("path", "id")
        )
        self.definitions: dict[tuple[int, str], tuple[int, str, str]] = {
            (category_id, key): (definition_id, kind, unit)
            for definition_id, category_id, key, kind, unit in (
                ParameterDefinition.objects.order_by().values_list(
                    "id", "category_id", "key", "kind", "unit"
                )
            )
        }

    # --- writing a batch ---

    def _write_safely(self, rows: list[_Row]) -> _Outcome:
        """Write the batch in one transaction; should the database refuse it, row by row."""
        try:
            outcome = self._write(rows)
        except (IntegrityError, DataError) as exc:
            if len(rows) == 1:
                reason = f"the database refused the row: {exc}".strip()
                return _Outcome(rejects=[(rows[0].number, "", "", reason)])
            outcome = _Outcome()
            for row in rows:
                single = self._write_safely([row])
                outcome.created += single.created
                outcome.updated += single.updated
                outcome.rejects += single.rejects
            return outcome
        return outcome

    def _write(self, rows: list[_Row]) -> _Outcome:
        now = timezone.now()
        stamp = self.writer.timestamp(now)
        out = _Outcome()
        writer = self.writer
        catalog = self.kind == ImportKind.CATALOG
        with transaction.atomic():
            existing = self._existing_parts(rows)
            kept = []
            for row in rows:
                old = existing.get((row.maker, row.nmpn))
                row.part_id = None if old is None else old[0]
                row.is_new = old is None
                if old is not None or catalog:
                    kept.append(row)
                else:
                    out.rejects.append(
                        (row.number, "mpn", row.mpn, "no such part of this manufacturer")
                    )
            rows, old_on_hand = self._check_stock_under_lock(kept, out)
            old_ids = [row.part_id for row in rows if row.part_id is not None]
            old_params = self._old_params(rows, old_ids)
            old_options, old_ladders = self._old_ladders(rows, old_ids)
            old_offers = self._old_offers(rows, old_ids)

            # What changes, and which pages a visitor would see change.
            new_rows: list[_Row] = []
            part_rows: list[tuple] = []
            changed_part_rows: list[tuple] = []
            touched: list[int] = []
            relisted: list[int] = []  # parts that exist and get new ladders or stock
            param_rows: list[tuple[_Row, int, float | None, str]] = []
            ladder_rows: list[tuple[_Row, str, int | None, tuple]] = []
            stock_rows: list[tuple[_Row, int]] = []
            offer_rows: list[tuple[_Row, int, int, int, str | None]] = []
            for row in rows:
                pid = row.part_id
                if pid is None:  # a part the (catalog) import creates: all of it is new
                    for definition_id, value in row.params.items():
                        param_rows.append((row, definition_id, *value))
                    for kind, ladder in row.ladders.items():
                        ladder_rows.append((row, kind, *ladder))
                    stock_rows.append((row, row.stock or 0))
                    if row.offer is not None:
                        code, *offer = row.offer
                        offer_rows.append((row, self.suppliers[code], *offer))
                    new_rows.append(row)
                    part_rows.append(
                        (
                            row.mpn,
                            row.nmpn,
                            row.maker,
                            *_part_fields_of(PART_DEFAULTS | row.fields),
                            stamp,
                            stamp,
                            stamp,
                            # A new part's listing copies: it has only this row's ladders
                            # and stock, nothing reserved.
                            _first_break_price(row.ladders),
                            row.stock or 0,
                        )
                    )
                    out.created += 1
                    continue
                old = existing[row.maker, row.nmpn]
                visible = False
                for definition_id, value in row.params.items():
                    if old_params.get((pid, definition_id)) != value:
                        param_rows.append((row, definition_id, *value))
                        visible = True
                relist = False
                for kind, ladder in row.ladders.items():
                    if old_ladders.get((pid, kind)) != ladder:
                        ladder_rows.append((row, kind, *ladder))
                        visible = relist = True
                if row.stock is not None:
                    before = old_on_hand.get(pid)
                    if before != row.stock:
                        stock_rows.append((row, row.stock))
                        relist = True
                        visible = visible or ((before or 0) > 0) != (row.stock > 0)
                if relist:
                    relisted.append(pid)
                if row.offer is not None:
                    code, quantity, lead_days, cost = row.offer
                    supplier_id = self.suppliers[code]
                    before = old_offers.get((pid, supplier_id))
                    if cost is None and before is not None:
                        cost = before[2]
                    if before != (quantity, lead_days, cost):
                        offer_rows.append((row, supplier_id, quantity, lead_days, cost))
                        visible = (
                            visible
                            or before is None
                            or before[1] != lead_days
                            or (before[0] > 0) != (quantity > 0)
                        )
                if catalog:
                    merged = dict(zip(PART_FIELDS, old[2:], strict=True)) | row.fields
                    visible = visible or any(
                        merged[name] != value
                        for name, value in zip(PART_FIELDS, old[2:], strict=True)
                    )
                    if visible:
                        # The listing copies are not taken from here (see _PART_UPDATES).
                        changed_part_rows.append(
                            (
                                old[1],
                                row.nmpn,
                                row.maker,
                                *_part_fields_of(merged),
                                stamp,
                                stamp,
                                stamp,
                                _first_break_price(row.ladders),
                                row.stock or 0,
                            )
                        )
                elif visible:
                    touched.append(pid)
                out.updated += 1

            if part_rows:
                self._insert_parts(new_rows, part_rows)
            if changed_part_rows:
                writer.upsert(
                    Part,
                    _PART_COLUMNS,
                    changed_part_rows,
                    unique=("manufacturer_id", "normalized_mpn"),
                    update=_PART_UPDATES,
                )
            if touched:
                Part.objects.filter(pk__in=touched).update(page_changed_at=now)
            self._put(
                ParameterValue,
                ("part_id", "definition_id", "si_value", "text"),
                [(row, (row.part_id, d, si, text)) for row, d, si, text in param_rows],
                unique=("part_id", "definition_id"),
                update=("si_value", "text"),
            )
            if ladder_rows:
                self._write_ladders(ladder_rows, old_options)
            self._put(
                Stock,
                ("part_id", "on_hand", "reserved", "updated_at"),
                [(row, (row.part_id, on_hand, 0, stamp)) for row, on_hand in stock_rows],
                unique=("part_id",),
                update=("on_hand", "updated_at"),
            )
            if relisted:
                part_listing_refresh(part_ids=relisted)
            self._put(
                SupplierOffer,
                ("part_id", "supplier_id", "quantity", "lead_days", "cost", "updated_at"),
                [(row, (row.part_id, *offer, stamp)) for row, *offer in offer_rows],
                unique=("part_id", "supplier_id"),
                update=("quantity", "lead_days", "cost", "updated_at"),
            )
        return out

    def _put(self, model, columns, rows: list[tuple[_Row, tuple]], *, unique, update) -> None:
        """Plain inserts for the rows of parts this batch creates, upserts for the others."""
        fresh = [values for row, values in rows if row.is_new]
        known = [values for row, values in rows if not row.is_new]
        if fresh:
            self.writer.insert(model, columns, fresh)
        if known:
            self.writer.upsert(model, columns, known, unique=unique, update=update)

    def _insert_new(self, model, columns: Sequence[str], rows: list[tuple]) -> list[int]:
        """Insert rows that cannot exist yet and return their ids, in order."""
        ids = self.writer.new_ids(model, len(rows))
        if ids is None:
            return self.writer.insert(model, columns, rows, returning_ids=True)
        self.writer.insert(
            model, ("id", *columns), [(pk, *r) for pk, r in zip(ids, rows, strict=True)]
        )
        return ids

    def _resolve_makers(self, rows: list[_Row]) -> None:
        """Create the manufacturers that valid rows name and the catalog lacks.

        Done before the batch is written, so batches written side by side never race to
        create the same one; only checked rows get here, so a bad row creates none.
        """
        for row in rows:
            if isinstance(row.maker, int):
                continue
            maker_id = self.makers.get(row.maker_key)
            if maker_id is None:
                maker = Manufacturer.objects.filter(name__iexact=row.maker).first()
                if maker is None:
                    maker = Manufacturer.objects.create(name=row.maker, slug=_free_slug(row.maker))
                maker_id = self.makers[row.maker_key] = maker.pk
            row.maker = maker_id

    def _resolve_suppliers(self, rows: list[_Row]) -> None:
        for row in rows:
            if row.offer is not None and row.offer[0] not in self.suppliers:
                code = row.offer[0]
                supplier, _ = Supplier.objects.get_or_create(code=code, defaults={"name": code})
                self.suppliers[code] = supplier.pk

    def _existing_parts(self, rows: list[_Row]) -> dict[tuple[int, str], tuple]:
        """(manufacturer id, normalized MPN) → (id, mpn, *PART_FIELDS) of parts that exist."""
        found = self.writer.existing_parts({(row.maker, row.nmpn) for row in rows})
        return {(maker_id, nmpn): (pid, mpn, *rest) for pid, maker_id, nmpn, mpn, *rest in found}

    def _check_stock_under_lock(
        self, rows: list[_Row], out: _Outcome
    ) -> tuple[list[_Row], dict[int, int]]:
        """Lock the stock rows this batch sets (in pk order) and turn away those that would
        go below what open orders reserved; the lock holds until the batch commits."""
        ids = [row.part_id for row in rows if row.part_id is not None and row.stock is not None]
        on_hand: dict[int, int] = {}
        if not ids:
            return rows, on_hand
        reserved: dict[int, int] = {}
        locked = (
            Stock.objects.filter(part_id__in=ids)
            .order_by("pk")
            .select_for_update()
            .values_list("part_id", "on_hand", "reserved")
        )
        for part_id, pieces, held in locked:
            on_hand[part_id] = pieces
            reserved[part_id] = held
        kept = []
        for row in rows:
            held = reserved.get(row.part_id, 0) if row.stock is not None else 0
            if row.stock is not None and row.stock < held:
                out.rejects.append(
                    (
                        row.number,
                        "stock",
                        str(row.stock),
                        f"below the {held} pieces reserved by open orders",
                    )
                )
            else:
                kept.append(row)
        return kept, on_hand

    def _old_params(self, rows, old_ids) -> dict[tuple[int, int], tuple[float | None, str]]:
        if not old_ids or not any(row.params for row in rows):
            return {}
        found = (
            ParameterValue.objects.order_by()
            .filter(part_id__in=old_ids)
            .values_list("part_id", "definition_id", "si_value", "text")
        )
        return {(pid, d): (si, text) for pid, d, si, text in found}

    def _old_ladders(self, rows, old_ids) -> tuple[dict, dict]:
        """Existing packaging options (part, kind) → id, and their ladders as rows write them."""
        if not old_ids or not any(row.ladders for row in rows):
            return {}, {}
        options = {
            (pid, kind): (option_id, reel)
            for option_id, pid, kind, reel in PackagingOption.objects.order_by()
            .filter(part_id__in=old_ids)
            .values_list("id", "part_id", "kind", "reel_quantity")
        }
        by_option: dict[int, list[tuple[int, str]]] = {}
        for option_id, quantity, price in (
            PriceBreak.objects.order_by("packaging_id", "min_quantity")
            .filter(packaging_id__in=[option_id for option_id, _ in options.values()])
            .values_list("packaging_id", "min_quantity", "unit_price")
        ):
            by_option.setdefault(option_id, []).append((quantity, _price_text(price)))
        ladders = {
            (pid, kind): (
                reel if kind == PackagingKind.REEL else None,
                tuple(by_option.get(oid, ())),
            )
            for (pid, kind), (oid, reel) in options.items()
        }
        return {key: oid for key, (oid, _) in options.items()}, ladders

    def _old_offers(self, rows, old_ids) -> dict[tuple[int, int], tuple[int, int, str | None]]:
        if not old_ids or not any(row.offer for row in rows):
            return {}
        return {
            (pid, supplier_id): (quantity, lead_days, None if cost is None else _price_text(cost))
            for pid, supplier_id, quantity, lead_days, cost in SupplierOffer.objects.order_by()
            .filter(part_id__in=old_ids)
            .values_list("part_id", "supplier_id", "quantity", "lead_days", "cost")
        }

    def _insert_parts(self, rows: list[_Row], part_rows: list[tuple]) -> None:
        """Create the batch's new parts, each with its sku: 'P' + (1000000 + id)."""
        ids = self.writer.new_ids(Part, len(part_rows))
        if ids is not None:
            self.writer.insert(
                Part,
                ("id", "sku", *_PART_COLUMNS),
                [(pk, sku_for_id(pk), *values) for pk, values in zip(ids, part_rows, strict=True)],
            )
        else:
            ids = self.writer.insert(Part, _PART_COLUMNS, part_rows, returning_ids=True)
            # The sku comes from the row id, so it is set once the rows exist.
            Part.objects.filter(pk__in=ids, sku__isnull=True).update(
                sku=Concat(
                    Value("P"),
                    Cast(F("id") + Value(SKU_OFFSET), output_field=CharField()),
                    output_field=CharField(),
                )
            )
        for row, pk in zip(rows, ids, strict=True):
            row.part_id = pk

    def _write_ladders(self, ladder_rows, old_options: dict[tuple[int, str], int]) -> None:
        """Create or upsert the packaging options and replace their price breaks."""
        option_ids: dict[tuple[int, str], int] = {}
        fresh = [(row.part_id, kind, reel) for row, kind, reel, _ in ladder_rows if row.is_new]
        known = [(row.part_id, kind, reel) for row, kind, reel, _ in ladder_rows if not row.is_new]
        if fresh:
            ids = self._insert_new(PackagingOption, ("part_id", "kind", "reel_quantity"), fresh)
            option_ids.update(zip(((pid, kind) for pid, kind, _ in fresh), ids, strict=True))
        if known:
            written = self.writer.upsert(
                PackagingOption,
                ("part_id", "kind", "reel_quantity"),
                known,
                unique=("part_id", "kind"),
                update=("reel_quantity",),
                returning=("id", "part_id", "kind"),
            )
            option_ids.update(((pid, kind), option_id) for option_id, pid, kind in written)
            stale = [old_options[pid, kind] for pid, kind, _ in known if (pid, kind) in old_options]
            if stale:
                PriceBreak.objects.filter(packaging_id__in=stale).delete()
        price_rows: list[tuple[int, int, str]] = []
        for row, kind, _, breaks in ladder_rows:
            option_id = option_ids[row.part_id, kind]
            price_rows += [(option_id, quantity, price) for quantity, price in breaks]
        self.writer.insert(PriceBreak, ("packaging_id", "min_quantity", "unit_price"), price_rows)


def _free_slug(name: str) -> str:
    base = slugify(name)[:130] or "manufacturer"
    slug, suffix = base, 2
    while Manufacturer.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


# --- The reject report -----------------------------------------------------------------------


class _Report:
    """The CSV of rejected rows, opened on the first reject and written as it goes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.used = False
        self._file: IO[str] | None = None

    def add(self, number: int, column: str, value: str, reason: str) -> None:
        if self._file is None:
            if self.path is None:
                handle, name = tempfile.mkstemp(prefix="catalog-import-", suffix="-rejects.csv")
                self.path = Path(name)
                self._file = open(handle, "w", encoding="utf-8", newline="")  # noqa: SIM115
            else:
                self._file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._csv = csv.writer(self._file)
            self._csv.writerow(REPORT_COLUMNS)
            self.used = True
        self._csv.writerow(safe_row((number, column, value[:500], reason)))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


# --- Bulk writers ----------------------------------------------------------------------------


class _Writer:
    def upsert(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: list[tuple],
        *,
        unique: Sequence[str],
        update: Sequence[str],
        returning: Sequence[str] = (),
    ) -> list[tuple]:
        raise NotImplementedError

    def insert(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: list[tuple],
        *,
        returning_ids: bool = False,
    ) -> list[int]:
        """Insert rows that cannot conflict; their ids only if asked (and supported)."""
        raise NotImplementedError

    def new_ids(self, model: type[models.Model], count: int) -> list[int] | None:
        """Ids to insert new rows with, drawn from the table's sequence; None: not supported."""
        return None

    def timestamp(self, moment: datetime) -> Any:
        """A date and time as rows given to insert() and upsert() carry it."""
        return moment

    def existing_parts(self, keys: set[tuple[int, str]]) -> list[tuple]:
        """(id, manufacturer_id, normalized_mpn, mpn, *PART_FIELDS) of the parts with these
        (manufacturer id, normalized MPN) keys."""
        with exact_mpn_lookups():
            found = list(
                Part.objects.order_by()
                .filter(normalized_mpn__in={nmpn for _, nmpn in keys})
                .values_list("id", "manufacturer_id", "normalized_mpn", "mpn", *PART_FIELDS)
            )
        return [part for part in found if (part[1], part[2]) in keys]


class _OrmWriter(_Writer):
    """bulk_create with update_conflicts: SQLite (the demo) and any other database."""

    def upsert(self, model, columns, rows, *, unique, update, returning=()):
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=[_field_name(model, name) for name in unique],
            update_fields=[_field_name(model, name) for name in update],
        )
        return [tuple(getattr(obj, name) for name in returning) for obj in objects]

    def insert(self, model, columns, rows, *, returning_ids=False):
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects)
        return [obj.pk for obj in objects] if returning_ids else []


def _field_name(model: type[models.Model], attname: str) -> str:
    return model._meta.get_field(attname).name


class _PostgresWriter(_Writer):
    """COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT per table."""

    def __init__(self) -> None:
        self._sequences: dict[type[models.Model], str] = {}

    def upsert(self, model, columns, rows, *, unique, update, returning=()):
        quote = connection.ops.quote_name
        table = model._meta.db_table
        column_list = ", ".join(quote(name) for name in columns)
        temp = f"_import_{table}_{zlib.crc32(column_list.encode()):08x}"
        with connection.cursor() as cursor:
            # Emptied here too: within an outer transaction (tests, a caller's atomic block)
            # the batch "commits" are savepoints and ON COMMIT never comes.
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {quote(temp)} ON COMMIT DELETE ROWS AS "
                f"SELECT {column_list} FROM {quote(table)} WITH NO DATA; "
                f"DELETE FROM {quote(temp)}"
            )
            with cursor.cursor.copy(f"COPY {quote(temp)} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            sql = (
                f"INSERT INTO {quote(table)} ({column_list}) "
                f"SELECT {column_list} FROM {quote(temp)} "
                f"ON CONFLICT ({', '.join(quote(name) for name in unique)}) DO UPDATE SET "
                + ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in update)
            )
            if returning:
                sql += " RETURNING " + ", ".join(quote(name) for name in returning)
            cursor.execute(sql)
            return cursor.fetchall() if returning else []

    def timestamp(self, moment):
        return moment.isoformat()  # COPY reads it as is, quicker than a datetime per row

    def existing_parts(self, keys):
        quote = connection.ops.quote_name
        makers, nmpns = zip(*keys, strict=True) if keys else ((), ())
        columns = ", ".join(
            f"part.{quote(name)}"
            for name in ("id", "manufacturer_id", "normalized_mpn", "mpn", *PART_FIELDS)
        )
        # One index lookup per key: the LIMIT keeps the planner from hashing the whole table.
        sql = (
            f"SELECT {columns} FROM unnest(string_to_array(%s, ',')::bigint[], "
            "string_to_array(%s, ',')) AS wanted(maker, nmpn) "
            f"CROSS JOIN LATERAL (SELECT * FROM {quote(Part._meta.db_table)} candidate "
            "WHERE candidate.manufacturer_id = wanted.maker "
            "AND candidate.normalized_mpn = wanted.nmpn LIMIT 1) part"
        )
        # Sent as two comma-separated lists: ids, and MPNs normalized to letters and digits.
        with exact_mpn_lookups(), connection.cursor() as cursor:
            cursor.execute(sql, [",".join(map(str, makers)), ",".join(nmpns)])
            return cursor.fetchall()

    def new_ids(self, model, count):
        with connection.cursor() as cursor:
            if model not in self._sequences:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
                self._sequences[model] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                [self._sequences[model], count],
            )
            return [pk for (pk,) in cursor.fetchall()]

    def insert(self, model, columns, rows, *, returning_ids=False):
        if returning_ids:
            raise NotImplementedError("take ids from new_ids() first")
        quote = connection.ops.quote_name
        column_list = ", ".join(quote(name) for name in columns)
        with connection.cursor() as cursor:
            copy_sql = f"COPY {quote(model._meta.db_table)} ({column_list}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return []
