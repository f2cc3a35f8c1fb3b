"""Catalog import: CSV files of parts and price-and-stock feeds, streamed and upserted in batches.

The file format is docs/catalog-import.md. Every data row is checked whole in Python first;
a row with any bad cell goes to the reject report and nothing of it reaches the database.
Valid rows are written a batch at a time, each batch in one transaction, with bulk upserts:
COPY into a temporary table + ``INSERT … ON CONFLICT`` on PostgreSQL, ``bulk_create`` with
``update_conflicts`` elsewhere (the SQLite demo); the rows of new parts are COPYed straight
into their tables. The file is read as a stream and the report written as rows are rejected,
so memory does not grow with the file.

On PostgreSQL two threads write batches side by side, and a large file on disk is read and
checked by a second process (``checking._CheckingProcess``) a batch ahead of them, so checking
and writing run on two cores. The import keeps each part's listing copies (first-break price,
available stock) in step in the same transactions, as ``services.part_listing_refresh``
computes them.

The rooms, in the order a row passes through them:

- ``columns.py``: the file format in code (columns, cell limits, the part columns a row sets)
  and ``ImportFileError``.
- ``reading.py``: the header row, read and checked before anything is written; row counts.
- ``rows.py``: checking a data row and reading its cells (numbers, prices, ladders,
  parameter values); cutting checked rows into batches.
- ``checking.py``: the second process that checks the rows of a large file.
- ``run.py``: the entry points and the importer: lookups, the writer threads, counting.
- ``batch.py``: writing one batch in one transaction, against the parts that exist.
- ``orm_writer.py`` and ``copy_writer.py``: the bulk writers, ``bulk_create`` (SQLite) and
  COPY (PostgreSQL).
- ``report.py``: the CSV report of rejected rows.
"""

from .columns import ImportFileError
from .reading import check_header, count_rows, read_header
from .run import ImportResult, catalog_import_run, import_catalog_file

__all__ = [
    "ImportFileError",
    "ImportResult",
    "catalog_import_run",
    "check_header",
    "count_rows",
    "import_catalog_file",
    "read_header",
]
