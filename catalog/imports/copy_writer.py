"""The PostgreSQL writer: rows go in with COPY, into their tables for new rows and into a
temporary table, then one ``INSERT … SELECT … ON CONFLICT``, for rows that may exist.
"""

from __future__ import annotations

import zlib

from django.db import connection, models

from ..db import exact_mpn_lookups
from ..models import Part
from .columns import PART_FIELDS
from .orm_writer import _Writer


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
