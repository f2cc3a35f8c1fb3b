"""The PostgreSQL writer: rows go in with COPY, into their tables for new rows and into a
temporary table, then one ``INSERT … SELECT … ON CONFLICT``, for rows that may exist.

COPY names the columns it writes and leaves every other column of the table to its database
default, so a column added to a catalog table the import fills (parts, parameter values,
packaging options, price breaks, stock, supplier offers) must have a ``db_default``: a
Python-side ``default`` is never applied here, and a NOT NULL column without a database
default fails every COPY.

An import into an empty catalog (the first load, the demo) builds the tables' secondary
indexes and checks its foreign keys once after the load instead of row by row
(``catalog_schema_deferred``).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, models, transaction

from ..db import exact_mpn_lookups
from ..models import Part
from .columns import PART_FIELDS
from .orm_writer import _Writer

logger = logging.getLogger(__name__)


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


# The tables an import fills, whose secondary indexes and foreign keys an import into an
# empty catalog builds after the load.
FILLED_TABLES = (
    "catalog_part",
    "catalog_parametervalue",
    "catalog_packagingoption",
    "catalog_pricebreak",
    "catalog_stock",
    "catalog_supplieroffer",
)


@contextmanager
def catalog_schema_deferred() -> Iterator[None]:
    """Drop the secondary indexes and foreign keys of the tables an import fills, and build
    them again when the block ends, also when it fails. For an import into an empty catalog
    only (PostgreSQL's own advice for populating a database): building an index once over
    the loaded rows is several times cheaper than keeping it up to date row by row (the two
    GIN indexes of parts most of all), one check of a foreign key over all rows is cheaper
    than a check per row at each commit, and there are no pages to serve yet. Unique
    indexes and primary keys stay: they keep the rows right, and the upserts and part
    lookups use them. The import writes only ids it has looked up, and every foreign key
    is checked over the whole table when it is added back.

    What is dropped is first recorded in ``DeferredCatalogSchema``, in the same transaction,
    so an import whose process dies leaves the statements for ``deferred_schema_restore``,
    which every import runs first. IF [NOT] EXISTS lets two imports started together do
    this side by side; the builds take a SHARE lock, so writes wait for them, reads do not.
    """
    from ..models import DeferredCatalogSchema

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT index.indrelid::regclass::text, index.indexrelid::regclass::text, "
            "pg_get_indexdef(index.indexrelid) "
            "FROM pg_index index "
            "WHERE index.indrelid::regclass::text = ANY(%s) "
            "AND NOT index.indisunique AND NOT index.indisprimary",
            [list(FILLED_TABLES)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [list(FILLED_TABLES)],
        )
        foreign_keys = cursor.fetchall()
        DeferredCatalogSchema.objects.bulk_create(
            [
                DeferredCatalogSchema(
                    table=table,
                    name=name,
                    kind="index",
                    statement=definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1),
                )
                for table, name, definition in indexes
            ]
            + [
                DeferredCatalogSchema(
                    table=table,
                    name=name,
                    kind="foreign_key",
                    statement=f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
                    f"{definition} NOT VALID",
                )
                for table, name, definition in foreign_keys
            ],
            ignore_conflicts=True,
        )
        for _, name, _ in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT IF EXISTS {quote(name)}")
    try:
        yield
    finally:
        deferred_schema_restore()


def deferred_schema_restore() -> int:
    """Build the indexes and foreign keys an import dropped and has not built again (its own,
    or those of an import that died half way); returns how many. Indexes first, then the
    foreign keys, each added for new rows and then checked over the rows there are. A key
    whose check finds a row pointing nowhere stays in force for new rows, unchecked, and is
    logged as an error and left for the next call."""
    from ..models import DeferredCatalogSchema

    quote = connection.ops.quote_name
    pending = list(DeferredCatalogSchema.objects.order_by("-kind", "pk"))  # "index" first
    built = 0
    for item in pending:
        with transaction.atomic(), connection.cursor() as cursor:
            if item.kind == "index":
                cursor.execute(item.statement)
            else:
                cursor.execute(
                    "SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s",
                    [item.table, item.name],
                )
                if cursor.fetchone() is None:
                    cursor.execute(item.statement)  # in force for new rows from here on
        if item.kind == "foreign_key":
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        f"ALTER TABLE {quote(item.table)} VALIDATE CONSTRAINT {quote(item.name)}"
                    )
            except IntegrityError as exc:
                # A row the load wrote points at a row deleted meanwhile. The key holds for
                # new rows; the check over the old ones is tried again by the next import.
                logger.error("catalog foreign key %s is not checked yet: %s", item.name, exc)
                continue
        DeferredCatalogSchema.objects.filter(pk=item.pk).delete()
        built += 1
    return built
