"""A category's listing index (catalog/listing_index.py) answers as the SQL filters would."""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalog import listing, listing_index, services
from catalog.models import (
    Lifecycle,
    PackagingOption,
    ParameterKind,
    Part,
    PriceBreak,
    Stock,
)
from tests.catalog.test_category_page import mpns
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    ParameterDefinitionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db

OHMS = [10.0, 22.0, 47.0, 100.0, 220.0, 470.0, 1e3, 2.2e3, 4.7e3, 1e4, 2.2e4, 4.7e4, 1e5]
TOLERANCES = ["1%", "5%", "10%"]


@pytest.fixture
def small_buckets(monkeypatch):
    """Few buckets and a short walk, so a handful of parts crosses every boundary."""
    monkeypatch.setattr(listing_index, "RANGE_BUCKETS", 4)
    monkeypatch.setattr(listing_index, "_WALK", 8)


@pytest.fixture
def shelf():
    """60 resistors of random value, tolerance, maker, stock, price and lifecycle."""
    rng = random.Random(7)
    category = CategoryFactory(name="Chip Resistors", slug="chip-resistors")
    resistance = ParameterDefinitionFactory(category=category, is_key=True, position=1)
    tolerance = ParameterDefinitionFactory(
        category=category, key="tolerance", name="Tolerance", unit="",
        kind=ParameterKind.CHOICE, is_key=True, position=2,
    )
    makers = [ManufacturerFactory(name=n, slug=n.lower()) for n in ("YAGEO", "UniOhm", "Vishay")]
    for n in range(60):
        part = PartFactory(
            mpn=f"R{rng.randint(0, 40):02d}-{n:03d}",
            category=category,
            manufacturer=rng.choice(makers),
            lifecycle=rng.choice([Lifecycle.ACTIVE, Lifecycle.ACTIVE, Lifecycle.OBSOLETE]),
        )
        StockFactory(part=part, on_hand=rng.choice([0, 0, 5, 100, 100, 2500]))
        if rng.random() < 0.8:  # the rest have no price yet
            option = PackagingOptionFactory(part=part)
            price = Decimal(rng.choice(["0.0010", "0.0050", "0.0100", "0.0300"]))
            PriceBreakFactory(packaging=option, min_quantity=1, unit_price=price)
        if rng.random() < 0.9:
            ohms = rng.choice(OHMS)
            part.parameter_values.create(definition=resistance, si_value=ohms, text=f"{ohms}Ω")
        part.parameter_values.create(definition=tolerance, text=rng.choice(TOLERANCES))
    return category


def _restock(part, on_hand: int) -> None:
    Stock.objects.filter(part=part).update(on_hand=on_hand)
    services.part_listing_refresh(part_ids=[part.pk])
    services.part_page_touch(part_ids=[part.pk])


def _query(category, text: str):
    return listing.parse_listing_query(QueryDict(text), list(category.parameters.all()))


def _sql_ids(category, query) -> list[int]:
    definitions = list(category.parameters.all())
    parts = listing.apply_listing_query(Part.objects.filter(category=category), query, definitions)
    return list(parts.order_by(*listing.SORTS[query.sort]).values_list("id", flat=True))


def _index_ids(category, query, start=0, stop=None) -> list[int]:
    index = listing_index.build_index(category, [category.pk])
    matches = listing_index.Matches(
        index, listing_index.select(index, query).matching(index), query.sort
    )
    return matches[start : len(matches) if stop is None else stop]


FILTERS = [
    "",
    "resistance_min=1k",
    "resistance_max=470",
    "resistance_min=200&resistance_max=50k",
    "resistance_min=2.2k&resistance_max=2.2k",
    "tolerance=1%25&tolerance=10%25",
    "mfr=yageo&stock=1",
    "lifecycle=obsolete&resistance_min=100",
    "stock=1&tolerance=5%25&mfr=vishay&mfr=uniohm&resistance_max=10k",
]


def test_every_filter_and_sort_lists_what_the_sql_filters_list(shelf, small_buckets):
    differing = []
    for filters in FILTERS:
        for sort in listing.SORTS:
            query = _query(shelf, f"{filters}&sort={sort}")
            if _index_ids(shelf, query) != _sql_ids(shelf, query):
                differing.append(f"{filters}&sort={sort}")

    assert differing == []


def test_a_page_from_the_middle_is_that_slice_of_the_order(shelf, small_buckets):
    differing = []
    for sort in listing.SORTS:
        query = _query(shelf, f"resistance_min=47&sort={sort}")
        expected = _sql_ids(shelf, query)
        for start, stop in [(0, 7), (5, 23), (30, 31), (45, 200)]:
            if _index_ids(shelf, query, start, stop) != expected[start:stop]:
                differing.append((sort, start, stop))

    assert differing == []


def test_a_facet_is_counted_under_every_filter_but_its_own(shelf):
    query = _query(shelf, "tolerance=1%25&mfr=yageo")
    index = listing_index.build_index(shelf, [shelf.pk])

    facets = listing_index.facet_counts(index, listing_index.select(index, query), query)

    tolerance = shelf.parameters.get(key="tolerance")
    yageo = Part.objects.filter(category=shelf, manufacturer__slug="yageo")
    expected = {
        text: yageo.filter(parameter_values__definition=tolerance, parameter_values__text=text)
        .count()
        for text in TOLERANCES
    }
    assert dict(facets["choices"][tolerance.pk]) == {t: n for t, n in expected.items() if n}
    one_percent = Part.objects.filter(
        category=shelf, parameter_values__definition=tolerance, parameter_values__text="1%"
    )
    assert {m["manufacturer__slug"]: m["count"] for m in facets["manufacturers"]} == {
        slug: one_percent.filter(manufacturer__slug=slug).count()
        for slug in ("yageo", "uniohm", "vishay")
        if one_percent.filter(manufacturer__slug=slug).exists()
    }


def test_a_ticked_value_that_no_part_has_under_the_other_filters_stays_listed(shelf):
    query = _query(shelf, "tolerance=2%25")
    index = listing_index.build_index(shelf, [shelf.pk])

    facets = listing_index.facet_counts(index, listing_index.select(index, query), query)

    tolerance = shelf.parameters.get(key="tolerance")
    assert ("2%", 0) in facets["choices"][tolerance.pk]


def test_an_empty_category_lists_nothing():
    category = CategoryFactory()
    index = listing_index.build_index(category, [category.pk])

    matches = listing_index.Matches(index, index.everything, "price")

    assert len(matches) == 0
    assert matches[0:50] == []


def test_a_change_shows_on_the_next_request_once_settled(client, shelf, settings):
    url = f"/c/{shelf.path}/?stock=1&sort=-stock"
    client.get(url, secure=True)
    part = Part.objects.filter(category=shelf, stock_available=0).first()
    _restock(part, 999_999)

    response = client.get(url, secure=True)

    assert mpns(response)[0] == part.mpn


def test_within_the_settling_time_a_change_waits_for_the_next_rebuild(client, shelf, settings):
    settings.CATALOG_LISTING_SETTLE_SECONDS = 60
    url = f"/c/{shelf.path}/?stock=1"
    client.get(url, secure=True)
    part = Part.objects.filter(category=shelf, stock_available=0).first()
    _restock(part, 10)

    response = client.get(url, secure=True)

    assert part.mpn not in mpns(response)


def test_a_second_process_reads_the_index_another_built_without_building_it(
    client, shelf, django_assert_max_num_queries
):
    url = f"/c/{shelf.path}/?resistance_min=1k&sort=price"
    client.get(url, secure=True)
    listing_index.forget_local_indexes()  # as a process that has not read it yet

    with django_assert_max_num_queries(6):
        response = client.get(url, secure=True)

    assert response.status_code == 200


def test_a_category_whose_first_index_is_being_built_is_listed_by_the_database(
    client, shelf, settings, monkeypatch
):
    settings.CATALOG_CACHE_REFRESH = "thread"
    started = []
    monkeypatch.setattr(
        listing_index.refreshing, "_rebuild_in_thread", lambda key, *args: started.append(key)
    )

    response = client.get(f"/c/{shelf.path}/?tolerance=5%25&sort=price", secure=True)

    query = _query(shelf, "tolerance=5%25&sort=price")
    assert started == [f"listing-index:{shelf.pk}"]
    expected = Part.objects.filter(pk__in=_sql_ids(shelf, query)[:50])
    assert sorted(mpns(response)) == sorted(expected.values_list("mpn", flat=True))
    assert b'value="1%"' in response.content  # the category's facets, not yet narrowed


def test_the_beat_job_rebuilds_the_index_of_a_changed_category_only(client, shelf):
    other = CategoryFactory(name="Ferrite Beads", slug="ferrite-beads")
    PartFactory(category=other)
    client.get(f"/c/{shelf.path}/", secure=True)
    client.get(f"/c/{other.path}/", secure=True)
    part = Part.objects.filter(category=shelf, stock_available=0).first()
    _restock(part, 10)

    assert listing.refresh_listing_indexes() == 1
    listing_index.forget_local_indexes()
    response = client.get(f"/c/{shelf.path}/?stock=1&sort=-stock", secure=True)
    assert part.mpn in mpns(response)


def _row_renders(response) -> int:
    return sum(t.name == "catalog/_part_row.html" for t in response.templates)


def test_a_listing_row_is_rendered_once_and_then_read_from_the_cache(client, shelf):
    url = f"/c/{shelf.path}/?sort=price"
    first = client.get(url, secure=True)
    second = client.get(url, secure=True)

    assert _row_renders(first) == len(mpns(first)) > 0
    assert _row_renders(second) == 0
    assert mpns(second) == mpns(first)


def test_a_price_change_renders_that_row_again_with_the_new_price(client, shelf):
    url = f"/c/{shelf.path}/?sort=-stock"
    client.get(url, secure=True)
    part = Part.objects.get(mpn=mpns(client.get(url, secure=True))[0])
    PriceBreak.objects.filter(packaging__part=part).delete()
    option = PackagingOption.objects.filter(part=part).first() or PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.000123"))
    services.part_page_touch(part_ids=[part.pk])

    response = client.get(url, secure=True)

    assert _row_renders(response) == 1
    assert "0.000123" in response.content.decode()


def _reads_rows(queries) -> bool:
    """Whether a page read listing rows (the query with the price columns) or key texts."""
    return any(
        "catalog_pricebreak" in q["sql"] or "catalog_parametervalue" in q["sql"]
        for q in queries.captured_queries
    )


def test_rows_shown_before_under_the_same_stamp_read_no_part(client, shelf):
    client.get(f"/c/{shelf.path}/?sort=price", secure=True)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/c/{shelf.path}/?sort=price", secure=True)

    assert not _reads_rows(queries)
    assert len(mpns(again)) == 50


def test_rows_not_shown_before_are_read_and_those_shown_are_not(client, shelf, monkeypatch):
    first = mpns(client.get(f"/c/{shelf.path}/?sort=mpn", secure=True))
    asked = []
    read = listing.StampedRows.read
    monkeypatch.setattr(
        listing.StampedRows, "read", lambda rows, ids: asked.append(ids) or read(rows, ids)
    )

    reversed_page = mpns(client.get(f"/c/{shelf.path}/?sort=-mpn", secure=True))

    by_mpn = dict(Part.objects.values_list("mpn", "pk"))
    not_shown_before = {by_mpn[mpn] for mpn in reversed_page if mpn not in first}
    assert len(asked) == 1
    assert not_shown_before and set(asked[0]) == not_shown_before


def test_a_stock_change_shows_in_the_rows_on_the_next_request(client, shelf, settings):
    url = f"/c/{shelf.path}/?sort=mpn"
    part = Part.objects.get(mpn=mpns(client.get(url, secure=True))[0])
    _restock(part, 123_457)

    html = client.get(url, secure=True).content.decode()

    assert "123,457" in html


def test_rows_are_kept_apart_by_language(client, shelf):
    client.get(f"/c/{shelf.path}/?sort=price", secure=True)

    chinese = client.get(f"/zh-hans/c/{shelf.path}/?sort=price", secure=True).content.decode()

    assert 'data-label="库存"' in chinese and 'data-label="Stock"' not in chinese
    assert 'href="/zh-hans/part/' in chinese


def test_a_deleted_part_leaves_the_rows_on_the_next_request(client, shelf):
    url = f"/c/{shelf.path}/?sort=mpn"
    gone = mpns(client.get(url, secure=True))[0]

    Part.objects.filter(mpn=gone).delete()

    listed = mpns(client.get(url, secure=True))
    assert gone not in listed and len(listed) == 50
