"""Query planning help for PostgreSQL."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def exact_mpn_lookups():
    """Run exact part-number lookups on the B-tree, not the trigram index.

    pg_trgm's GIN index also answers ``=``, and for an IN list of a few hundred MPNs the
    planner picks it; it then reads posting lists for every trigram and slows as the catalog
    grows (seconds per batch at a million parts). GIN is only reachable through bitmap scans,
    so turning those off for the lookup leaves the plain index on normalized_mpn.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_bitmapscan = on")
