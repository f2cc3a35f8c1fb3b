"""Plans that keep part-number lookups and the search page fast as the catalog grows (PostgreSQL
only)."""

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


def _api_list_queryset(query: str):
    """The queryset the parts API lists for ``?q=query``."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from catalog.api import PartViewSet

    view = PartViewSet(action="list", format_kwarg=None)
    view.request = Request(APIRequestFactory().get("/api/v1/parts/", {"q": query}))
    return view.get_queryset()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner behaviour")
def test_an_api_keyword_search_reads_the_description_index_not_the_outer_row():
    for n in range(50):
        PartFactory(mpn=f"RC0603FR-07{n:03d}KL", description=f"Thick film resistor {n}")
        PartFactory(mpn=f"GRM188R71H{n:03d}KA93D", description="MLCC X7R capacitor")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_part")
        cursor.execute("SET LOCAL enable_seqscan = off")

    parts = _api_list_queryset("RC06 thick")
    sql, params = parts.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # Bound to the subquery's own rows (U0) the match is a join the planner can drive from
    # either side; bound to the outer row it was a SubPlan re-run for every part.
    assert "to_tsvector('simple'::regconfig, U0.\"description\")" in sql
    assert '"catalog_part"."description"' not in sql
    assert "SubPlan" not in plan
    assert len(parts) == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner behaviour")
def test_an_api_typo_search_compiles_its_trigram_filter_inside_the_query():
    from catalog.search import fuzzy_part_numbers

    PartFactory(mpn="STM32F103C8T6")
    PartFactory(mpn="GRM188R71H104KA93D")

    assert [p.mpn for p in fuzzy_part_numbers("STM32F103C8T7")] == ["STM32F103C8T6"]


def _plans_of_build(category) -> dict[str, str]:
    """EXPLAIN of each part query a listing index build runs, keyed by its ORDER BY."""
    from django.test.utils import CaptureQueriesContext

    from catalog import listing_index

    with CaptureQueriesContext(connection) as captured:
        listing_index.build_index(category, [category.pk])
    plans = {}
    with connection.cursor() as cursor:  # 50 rows would be read whole and sorted otherwise
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off;"
            " SET LOCAL enable_sort = off"
        )
        for query in captured.captured_queries:
            sql = query["sql"]
            if 'FROM "catalog_part"' in sql and "ORDER BY" in sql:
                cursor.execute("EXPLAIN " + sql)
                plans[sql.split("ORDER BY")[1].strip()] = "\n".join(r[0] for r in cursor.fetchall())
    return plans


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner behaviour")
def test_a_listing_index_reads_a_category_by_price_and_by_stock_in_index_order():
    from tests.factories import CategoryFactory

    category = CategoryFactory()
    for n in range(50):
        PartFactory(category=category, mpn=f"CL10B104KB8NNN{n:03d}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_part")

    plans = _plans_of_build(category)

    price = next(plan for order, plan in plans.items() if "NULLS LAST" in order)
    stock = next(plan for order, plan in plans.items() if "stock_available" in order)
    assert "part_category_price_idx" in price and not price.startswith("Sort")
    assert "part_category_stock_idx" in stock and not stock.startswith("Sort")


def _catalog_scans_of_page(client, url) -> list[str]:
    """The plans of the page's queries that read the whole of catalog_part although the
    planner was told to avoid that (a query no index serves). The search vocabulary, which
    reads every part's package once and is rebuilt in the background, is built first."""
    from django.test.utils import CaptureQueriesContext

    client.get("/search/?q=warm")
    with CaptureQueriesContext(connection) as page:
        response = client.get(url)
    assert response.status_code == 200
    scans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in page.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "catalog_part" not in sql:
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            if "Seq Scan on catalog_part " in plan + " ":
                scans.append(plan)
    return scans


@pytest.fixture
def searchable_parts():
    for n in range(60):
        PartFactory(mpn=f"RC0603FR-07{n:03d}KL", description=f"Thick film chip resistor {n}")
        PartFactory(mpn=f"GRM188R71H{n:03d}KA93D", description="MLCC X7R ceramic capacitor")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner behaviour")
@pytest.mark.parametrize("query", ["capacitor", "thick film resistor", "GRM188R71H0", "RC0603"])
def test_the_search_page_reads_parts_through_indexes(client, searchable_parts, query):
    assert _catalog_scans_of_page(client, f"/search/?q={query}") == []
