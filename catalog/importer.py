"""Catalog import: CSV files of parts and price-and-stock feeds, streamed and upserted in batches.

The file format is docs/catalog-import.md. Every data row is checked whole in Python first;
a row with any bad cell goes to the reject report and nothing of it reaches the database.
Valid rows are written a batch at a time, each batch in one transaction, with bulk upserts:
COPY into a temporary table + ``INSERT … ON CONFLICT`` on PostgreSQL, ``bulk_create`` with
``update_conflicts`` elsewhere (the SQLite demo). The file is read as a stream and the report
written as rows are rejected, so memory does not grow with the file.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tempfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
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
)
# The MPN as first imported stays: it is in the part's URL.
_PART_UPDATES = (*PART_FIELDS, "updated_at", "page_changed_at")

_INT_RE = re.compile(r"[0-9]+")
_DECIMAL_RE = re.compile(r"[0-9]{1,13}(?:\.[0-9]{1,6})?|\.[0-9]{1,6}")
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
        return _Importer(kind=kind, report_path=report_path, on_batch=on_batch).run(binary)


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
                result = importer.run(binary)
        except Exception as exc:
            if not isinstance(exc, ImportFileError):
                logger.exception("catalog import %s failed", job.pk)
            result = importer.result()
            _finish(job, result, status=ImportStatus.FAILED, error=str(exc) or repr(exc))
            return
        _finish(job, result, status=ImportStatus.DONE, error="")


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
    ladders: dict[str, tuple[int | None, tuple[tuple[int, Decimal], ...]]]
    offer: tuple[str, int, int, Decimal | None] | None
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


@lru_cache(maxsize=65536)
def _ladder(text: str) -> tuple[tuple[int, Decimal], ...]:
    """Read "1:0.012|100:0.0061": quantities rising, prices above zero and not rising.

    Cached: a series of parts shares its ladders, and a bad ladder raises (never cached)."""
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
    return tuple(breaks)


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
        self._rejects: list[tuple[int, str, str, str]] = []

    def result(self, *, rows: int | None = None) -> ImportResult:
        return ImportResult(
            rows_total=self.rows_total if rows is None else rows,
            created=self.created,
            updated=self.updated,
            rejected=self.rejected,
            report_path=self.report.path if self.report.used else None,
        )

    def run(self, binary: IO[bytes]) -> ImportResult:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
        # On PostgreSQL batches are written by worker threads, each with its own connection,
        # while the main thread reads and checks the next rows: the database works on several
        # batches at once. Not inside a caller's transaction, which they could not see.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self._pipeline = ThreadPoolExecutor(WRITERS, thread_name_prefix="catalog-import")
        try:
            self._run(csv.reader(text))
            self._drain()
        finally:
            if self._pipeline is not None:
                self._pipeline.shutdown(wait=True)
                for worker_connection in self._worker_connections:
                    worker_connection.close()
                    worker_connection.dec_thread_sharing()
            text.detach()
            self.report.close()
        return self.result()

    def _run(self, reader) -> None:
        number = 1
        try:
            header = [name.strip() for name in next(reader, [])]
            if any("\ufffd" in name for name in header):
                raise ImportFileError("The file is not UTF-8 text (save it as CSV in UTF-8).")
            check_header(header, kind=self.kind)
            self._load(header)
            batch: list[_Row] = []
            keys: set[tuple[int | str, str]] = set()
            read = 0
            for number, cells in enumerate(reader, start=2):
                if not any(cells):
                    continue
                self.rows_total += 1
                read += 1
                row = self._check(number, cells)
                if row is not None:
                    if row.key in keys:
                        # The same part twice: write what came before, then this row over it.
                        self._flush(batch)
                        batch, keys = [], set()
                    batch.append(row)
                    keys.add(row.key)
                if read >= self.batch_size:
                    self._flush(batch)
                    batch, keys, read = [], set(), 0
            self._flush(batch)
        except csv.Error as exc:
            raise ImportFileError(
                f"Row {number + 1} is not readable CSV ({exc}); the rows before it were imported."
            ) from exc

    def _flush(self, batch: list[_Row]) -> None:
        rejects, self._rejects = self._rejects, []
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

    def _reject(self, number: int, column: str, value: str, reason: str) -> None:
        self._rejects.append((number, column, value, reason))

    # --- lookups, loaded once per file ---

    def _load(self, header: list[str]) -> None:
        self.header = header
        self.width = len(header)
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
        self.param_columns = [
            (name, name[len(PARAM_PREFIX) :]) for name in header if name.startswith(PARAM_PREFIX)
        ]

    # --- checking one row ---

    def _check(self, number: int, cells: list[str]) -> _Row | None:
        """The row ready to write, or None after reporting everything wrong with it."""
        errors: list[tuple[str, str, str]] = []
        if len(cells) > self.width:
            extra = ",".join(cells[self.width :])
            errors.append(
                ("", extra, f"the row has {len(cells)} cells, the header {self.width} columns")
            )
        cell = {name: value.strip() for name, value in zip(self.header, cells, strict=False)}
        for name, value in cell.items():
            if "\ufffd" in value:
                errors.append((name, value, "not UTF-8 text"))

        def bad(column: str, reason: str) -> None:
            errors.append((column, cell.get(column, ""), reason))

        catalog = self.kind == ImportKind.CATALOG
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
            elif catalog:
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
        if catalog:
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
            for column, value, reason in errors:
                self._reject(number, column, value, reason)
            self.rejected += 1
            return None
        return _Row(number, maker, maker_key, mpn, nmpn, fields, params, stock, ladders, offer)

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
        ladders: dict[str, tuple[int | None, tuple[tuple[int, Decimal], ...]]] = {}
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

    def _check_offer(self, cell, bad) -> tuple[str, int, int, Decimal | None] | None:
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
                cost = _money(cell["supplier_cost"])
            except ValueError as exc:
                bad("supplier_cost", str(exc))
                offer_ok = False
        return (code, numbers[0], numbers[1], cost) if offer_ok else None

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
            param_rows: list[tuple[_Row, int, float | None, str]] = []
            ladder_rows: list[tuple[_Row, str, int | None, tuple]] = []
            stock_rows: list[tuple[_Row, int]] = []
            offer_rows: list[tuple[_Row, int, int, int, Decimal | None]] = []
            for row in rows:
                pid = row.part_id
                old = existing.get((row.maker, row.nmpn)) if pid is not None else None
                visible = pid is None
                for definition_id, value in row.params.items():
                    if pid is None or old_params.get((pid, definition_id)) != value:
                        param_rows.append((row, definition_id, *value))
                        visible = True
                for kind, ladder in row.ladders.items():
                    if pid is None or old_ladders.get((pid, kind)) != ladder:
                        ladder_rows.append((row, kind, *ladder))
                        visible = True
                if pid is None:
                    stock_rows.append((row, row.stock or 0))
                elif row.stock is not None:
                    before = old_on_hand.get(pid)
                    if before != row.stock:
                        stock_rows.append((row, row.stock))
                        visible = visible or ((before or 0) > 0) != (row.stock > 0)
                if row.offer is not None:
                    code, quantity, lead_days, cost = row.offer
                    supplier_id = self.suppliers[code]
                    before = old_offers.get((pid, supplier_id)) if pid else None
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
                    if old is None:
                        merged = PART_DEFAULTS | row.fields
                    else:
                        merged = dict(zip(PART_FIELDS, old[2:], strict=True)) | row.fields
                        visible = visible or any(
                            merged[name] != value
                            for name, value in zip(PART_FIELDS, old[2:], strict=True)
                        )
                    if pid is None or visible:
                        values = (
                            row.mpn if old is None else old[1],
                            row.nmpn,
                            row.maker,
                            *(merged[name] for name in PART_FIELDS),
                            now,
                            now,
                            now,
                        )
                        if pid is None:
                            new_rows.append(row)
                            part_rows.append(values)
                        else:
                            changed_part_rows.append(values)
                elif visible:
                    touched.append(pid)
                if pid is None:
                    out.created += 1
                else:
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
                [(row, (row.part_id, on_hand, 0, now)) for row, on_hand in stock_rows],
                unique=("part_id",),
                update=("on_hand", "updated_at"),
            )
            self._put(
                SupplierOffer,
                ("part_id", "supplier_id", "quantity", "lead_days", "cost", "updated_at"),
                [(row, (row.part_id, *offer, now)) for row, *offer in offer_rows],
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
        wanted = {(row.maker, row.nmpn) for row in rows}
        with exact_mpn_lookups():
            found = list(
                Part.objects.order_by()
                .filter(normalized_mpn__in={nmpn for _, nmpn in wanted})
                .values_list("id", "manufacturer_id", "normalized_mpn", "mpn", *PART_FIELDS)
            )
        return {
            (maker_id, nmpn): (pid, mpn, *rest)
            for pid, maker_id, nmpn, mpn, *rest in found
            if (maker_id, nmpn) in wanted
        }

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
        by_option: dict[int, list[tuple[int, Decimal]]] = {}
        for option_id, quantity, price in (
            PriceBreak.objects.order_by("packaging_id", "min_quantity")
            .filter(packaging_id__in=[option_id for option_id, _ in options.values()])
            .values_list("packaging_id", "min_quantity", "unit_price")
        ):
            by_option.setdefault(option_id, []).append((quantity, price))
        ladders = {
            (pid, kind): (
                reel if kind == PackagingKind.REEL else None,
                tuple(by_option.get(oid, ())),
            )
            for (pid, kind), (oid, reel) in options.items()
        }
        return {key: oid for key, (oid, _) in options.items()}, ladders

    def _old_offers(self, rows, old_ids) -> dict[tuple[int, int], tuple[int, int, Decimal | None]]:
        if not old_ids or not any(row.offer for row in rows):
            return {}
        return {
            (pid, supplier_id): (quantity, lead_days, cost)
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
        self.writer.insert(
            PriceBreak,
            ("packaging_id", "min_quantity", "unit_price"),
            [
                (option_ids[(row.part_id, kind)], quantity, price)
                for row, kind, _, breaks in ladder_rows
                for quantity, price in breaks
            ],
        )


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
        self._csv.writerow((number, column, value[:500], reason))

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
