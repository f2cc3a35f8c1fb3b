"""Query planning help for PostgreSQL."""

from contextlib import contextmanager

from django.db import connection, transaction


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
