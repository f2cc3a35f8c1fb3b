"""Running an import: the public entry points, and the importer that reads the header,
loads the lookups, hands batches of checked rows to writer threads (PostgreSQL) in file
order, counts them and writes the reject report.
"""

from __future__ import annotations

import csv
import logging
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.text import slugify

from ..models import (
    CatalogImport,
    Category,
    ImportKind,
    ImportStatus,
    Manufacturer,
    ManufacturerAlias,
    ParameterDefinition,
    Part,
    Supplier,
)
from . import checking
from .batch import _BatchWriting
from .checking import _CheckingProcess
from .columns import ImportFileError
from .copy_writer import _PostgresWriter, catalog_schema_deferred, deferred_schema_restore
from .orm_writer import _OrmWriter, _Writer
from .reading import _fewer_collections, _text, check_header, count_rows
from .report import _Report
from .rows import _checked_batches, _Checker, _maker_key, _Outcome, _Row

logger = logging.getLogger(__name__)


# Batches written at once on PostgreSQL, each by its own thread and connection.
WRITERS = 2


@dataclass
class ImportResult:
    rows_total: int
    created: int
    updated: int
    rejected: int
    report_path: Path | None


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



class _Importer(_BatchWriting):
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
        schema = ExitStack()
        try:
            checker = self._start(reader)
            if self._pipeline is not None:
                deferred_schema_restore()  # left by an import that died half way
                if not Part.objects.exists():
                    schema.enter_context(catalog_schema_deferred())
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
            try:
                if checking is not None:
                    checking.close()
                if self._pipeline is not None:
                    self._pipeline.shutdown(wait=True)
                    for worker_connection in self._worker_connections:
                        worker_connection.close()
                        worker_connection.dec_thread_sharing()
            finally:
                schema.close()  # once the writers are done

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
            return os.path.getsize(path) >= checking.CHECKING_PROCESS_MIN_BYTES
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


def _free_slug(name: str) -> str:
    base = slugify(name)[:130] or "manufacturer"
    slug, suffix = base, 2
    while Manufacturer.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug

