"""Catalog reads of one shape, compiled to SQL once per process and database.

The ORM's compiling of a queryset costs several times the run of a small indexed query: a
part page's parameters, price breaks and offers, or the 50 rows of a listing page with their
price and supplier columns. A ``CompiledRead`` builds its queryset once with stand-in ids,
keeps the SQL and the compiler, and later calls run that SQL with the real ids and turn rows
into model instances with the compiler's converters, select_related populators and
annotations, as Django's ``ModelIterable`` does.

On PostgreSQL the SQL also runs as a prepared statement of the connection, planned once with
a generic plan (``fetch``): these reads look rows up by primary or foreign key, where a
generic plan is the plan, and planning a listing page's 50 rows with their price and supplier
subqueries costs more than running it. The reads of a part page go in one round trip as a
pipeline. ``DATABASE_PREPARED_READS = False`` turns this off (a pooler that keeps no
prepared statements, such as PgBouncer in transaction mode before 1.21 or without
``max_prepared_statements``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from functools import partial

from django.conf import settings
from django.db import connections, router
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Ids no row has (primary keys are positive): what a query is compiled with, and what pads
# a shorter list of ids to the compiled length.
STAND_IN = -7_000_000_001
NO_ROW = -1


# What a read keyed by text (a category path) is compiled with.
STAND_IN_TEXT = "\x00compiled-read-stand-in\x00"


class CompiledRead:
    """``build(key)`` → the queryset for one part id, or (``size=N``) for a list of up to N
    ids, or (``text=True``) for one string, which must appear in the SQL only as those
    parameters."""

    def __init__(
        self, build: Callable[..., QuerySet], *, size: int | None = None, text: bool = False
    ) -> None:
        self.build = build
        self.size = size
        if text:
            self.stand_in = STAND_IN_TEXT
        else:
            self.stand_in = STAND_IN if size is None else [STAND_IN - n for n in range(size)]
        self.model = build(self.stand_in).model
        self.compiled: dict[tuple[str, str], tuple | None] = {}

    def _compile(self, db: str) -> tuple | None:
        queryset = self.build(self.stand_in)
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        wanted = [self.stand_in] if self.size is None else self.stand_in
        slot = {value: number for number, value in enumerate(wanted)}
        positions = [
            (index, slot[value])
            for index, value in enumerate(params)
            if isinstance(value, int | str) and value in slot
        ]
        if len(positions) < len(wanted) or queryset._known_related_objects:
            return None  # a shape this cannot stand for: the queryset runs as it is
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, db)
        annotations = list(compiler.annotation_col_map.items())
        return (
            sql, list(params), positions, compiler, init_list, start, end, populators,
            annotations,
        )  # fmt: skip

    def prepare(self, key: int | Sequence[int]) -> tuple[str, tuple, list] | None:
        """(database, compiled read, SQL parameters) for these ids; None: run the queryset."""
        db = router.db_for_read(self.model)
        compiled_key = (db, connections[db].vendor)
        if compiled_key not in self.compiled:
            self.compiled[compiled_key] = self._compile(db)
        compiled = self.compiled[compiled_key]
        if compiled is None:
            return None
        if self.size is None:
            ids = [key]
        elif len(key) > self.size:
            return None
        else:
            ids = [*key, *([NO_ROW] * (self.size - len(key)))]
        params = list(compiled[1])
        for index, number in compiled[2]:
            params[index] = ids[number]
        return db, compiled, params

    @staticmethod
    def objects(db: str, compiled: tuple, rows: list) -> list:
        _sql, _params, _positions, compiler, init_list, start, end, populators, annotations = (
            compiled
        )
        model = compiler.klass_info["model"]
        objects = []
        for row in compiler.results_iter([rows]):
            obj = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def __call__(self, key: int | Sequence[int]) -> list:
        prepared = self.prepare(key)
        if prepared is None:
            return list(self.build(key))
        db, compiled, params = prepared
        (rows,) = fetch(db, [(compiled[0], params)])
        return self.objects(db, compiled, rows)


def read_together(key: int, reads: list[CompiledRead]) -> list[list]:
    """Several reads of one key; on PostgreSQL in one round trip (the statements sent
    together, their results read one after the other)."""
    prepared = [read.prepare(key) for read in reads]
    databases = {item[0] for item in prepared if item is not None}
    if None in prepared or len(databases) != 1:
        return [read(key) for read in reads]
    (db,) = databases
    if connections[db].vendor != "postgresql":
        return [read(key) for read in reads]
    rows = fetch(db, [(compiled[0], params) for _db, compiled, params in prepared])
    return [
        CompiledRead.objects(db, compiled, found)
        for (_db, compiled, _params), found in zip(prepared, rows, strict=True)
    ]


def fetch(db: str, statements: list[tuple[str, list]]) -> list[list[tuple]]:
    """The rows of each (SQL, parameters), through the connection's cursor as one query
    (the execute wrappers, such as the statement time limit, and the query log see it once):
    on PostgreSQL as prepared statements sent in one round trip, elsewhere one by one."""
    connection = connections[db]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            found = []
            for sql, params in statements:
                cursor.execute(sql, params)
                found.append(cursor.fetchall())
            return found
        sql = ";\n".join(statement for statement, _params in statements)
        params = [value for _statement, values in statements for value in values]
        run = partial(
            _prepared if settings.DATABASE_PREPARED_READS else _sent_together, statements
        )
        if isinstance(cursor, CursorDebugWrapper):
            # Logged as sent without prepared statements: with the parameters in the SQL.
            with cursor.debug_sql(connection.ops.compose_sql(sql, params), params):
                return cursor._execute_with_wrappers(sql, params, False, run)
        return cursor._execute_with_wrappers(sql, params, False, run)


def _sent_together(statements, sql, params, many, context) -> list[list[tuple]]:
    """The statements as one string (client-side parameters), results read in turn."""
    connection, cursor = context["connection"], context["cursor"].cursor
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor.execute(sql, params)
        found = [cursor.fetchall()]
        for _rest in statements[1:]:
            cursor.nextset()
            found.append(cursor.fetchall())
    return found


# Driver connections whose session plans prepared statements generically, set outside any
# transaction (nothing else on the connection is prepared: Django prepares nothing).
_generic_sessions: weakref.WeakSet = weakref.WeakSet()
# A prepare threshold no statement reaches: only the reads here, which ask, are prepared.
_PREPARED_ONLY_WHEN_ASKED = 2**31 - 1


def _prepared(statements, sql, params, many, context) -> list[list[tuple]]:
    import psycopg
    from psycopg.types.numeric import Int8

    connection = context["connection"]
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        raw = connection.connection
        if raw.prepare_threshold is None:  # Django's default: no prepared statements
            raw.prepare_threshold = _PREPARED_ONLY_WHEN_ASKED
        if connection.in_atomic_block:
            # A SET in a transaction ends with it (and is undone by a rollback).
            with raw.cursor() as setting:
                setting.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        elif raw not in _generic_sessions:
            with raw.cursor() as setting:
                setting.execute("SET plan_cache_mode = force_generic_plan")
            _generic_sessions.add(raw)
        # Every id as bigint: one parameter type list, so one prepared statement per read
        # (psycopg would otherwise type small ids smallint and the rest integer).
        typed = [
            [Int8(value) if type(value) is int else value for value in values]
            for _sql, values in statements
        ]
        cursors = [psycopg.Cursor(raw) for _statement in statements]
        try:
            if len(statements) == 1:
                cursors[0].execute(statements[0][0], typed[0], prepare=True)
            else:
                with raw.pipeline():
                    for cursor, (statement, _values), values in zip(
                        cursors, statements, typed, strict=True
                    ):
                        cursor.execute(statement, values, prepare=True)
            return [cursor.fetchall() for cursor in cursors]
        finally:
            for cursor in cursors:
                cursor.close()
