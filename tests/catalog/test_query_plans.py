"""Plans that keep part-number lookups fast as the catalog grows (PostgreSQL only)."""

import pytest
from django.db import connection

from catalog.db import exact_mpn_lookups, prefix_mpn_lookups
from catalog.models import Part
from tests.factories import PartFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner behaviour")
def test_a_batch_of_exact_mpn_lookups_uses_the_btree_not_the_trigram_index():
    for n in range(50):
        PartFactory(mpn=f"GRM188R71H{n:03d}KA93D")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_part")
    wanted = [f"GRM188R71H{n:03d}KA93D" for n in range(2000)]
    with connection.cursor() as cursor:  # a small table would be scanned whole otherwise
        cursor.execute("SET LOCAL enable_seqscan = off")

    with exact_mpn_lookups():
        sql, params = (
            Part.objects.filter(normalized_mpn__in=wanted).values("id").query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "part_mpn_trgm_idx" not in plan
    assert "part_normalized_mpn_idx" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner behaviour")
def test_a_limited_prefix_lookup_walks_the_mpn_btree():
    for n in range(50):
        PartFactory(mpn=f"RC0603FR-07{n:03d}KL")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_part")

    with prefix_mpn_lookups():
        sql, params = (
            Part.objects.filter(normalized_mpn__startswith="RC06")
            .order_by()
            .values("id")[:200]
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan using part_normalized_mpn_idx" in plan
