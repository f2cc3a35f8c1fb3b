"""Catalog reads of one shape, compiled to SQL once per process and database.

The ORM's compiling of a queryset costs several times the run of a small indexed query: a
part page's parameters, price breaks and offers, or the 50 rows of a listing page with their
price and supplier columns. A ``CompiledRead`` builds its queryset once with stand-in ids,
keeps the SQL and the compiler, and later calls run that SQL with the real ids and turn rows
into model instances with the compiler's converters, select_related populators and
annotations, as Django's ``ModelIterable`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connections, router
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
        with connections[db].cursor() as cursor:
            cursor.execute(compiled[0], params)
            rows = cursor.fetchall()
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
    sql = ";\n".join(compiled[0] for _db, compiled, _params in prepared)
    params = [value for _db, _compiled, values in prepared for value in values]
    results = []
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        for index, (_db, compiled, _params) in enumerate(prepared):
            if index:
                cursor.nextset()
            results.append(CompiledRead.objects(db, compiled, cursor.fetchall()))
    return results
