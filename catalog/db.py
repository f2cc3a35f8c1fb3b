"""Query planning help for PostgreSQL."""

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import BooleanField, CharField, F, FloatField, Func, Value


@contextmanager
def _planner_switch(*names: str):
    """Turn planner methods off for the queries inside (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("; ".join(f"SET LOCAL {name} = off" for name in names))
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("; ".join(f"SET LOCAL {name} = on" for name in names))


@contextmanager
def exact_mpn_lookups():
    """Run exact part-number lookups on the B-tree, not the trigram index.

    pg_trgm's GIN index also answers ``=``, and for an IN list of a few hundred MPNs the
    planner picks it; it then reads posting lists for every trigram and slows as the catalog
    grows (seconds per batch at a million parts). GIN is only reachable through bitmap scans,
    so turning those off for the lookup leaves the plain index on normalized_mpn.
    """
    with _planner_switch("enable_bitmapscan"):
        yield


@contextmanager
def prefix_mpn_lookups():
    """Run LIMITed part-number prefix lookups on the MPN B-tree (pattern ops), which stops
    after LIMIT rows.

    A prefix such as 'RC06%' matches tens of thousands of parts. For LIMIT 200 the planner
    either expects a sequential scan to meet 200 of them early (the parts of one manufacturer
    sit together in the table; when they sit late the scan reads most of it: 200 ms at a
    million parts) or builds the trigram index's bitmap of every match (25 ms). Through the
    B-tree it takes about a millisecond.
    """
    with _planner_switch("enable_seqscan", "enable_bitmapscan"):
        yield


# --- Search expressions ----------------------------------------------------------------------
# Written as expressions, never as SQL text naming a table: the column is compiled with the
# alias of the query it ends up in, so the same filter stays right inside a subquery (the
# API's ``pk__in``, where the part table is ``U0``) instead of binding to the outer row.


class DescriptionMatches(Func):
    """``to_tsvector('simple', column) @@ plainto_tsquery('simple', words)``: the expression
    of the full-text GIN index on descriptions (PostgreSQL only)."""

    output_field = BooleanField()
    arity = 2

    def __init__(self, column: str, words: str):
        super().__init__(F(column), Value(words, output_field=CharField()))

    def as_sql(self, compiler, connection, **extra_context):
        (column_sql, column_params), (words_sql, words_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = (
            f"to_tsvector('simple'::regconfig, {column_sql})"
            f" @@ plainto_tsquery('simple'::regconfig, {words_sql})"
        )
        return sql, (*column_params, *words_params)


class TrigramSimilar(Func):
    """``column % text``: pg_trgm's similarity operator, answered by the trigram index."""

    output_field = BooleanField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " %% "  # one % once the driver binds the parameters

    def __init__(self, column: str, text: str):
        super().__init__(F(column), Value(text, output_field=CharField()))


class TrigramSimilarity(Func):
    """``similarity(column, text)`` of pg_trgm."""

    function = "similarity"
    output_field = FloatField()
    arity = 2

    def __init__(self, column: str, text: str):
        super().__init__(F(column), Value(text, output_field=CharField()))
