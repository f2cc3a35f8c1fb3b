"""The part page's reads, compiled once per process (catalog.selectors._CompiledPartRead),
give the same rows, related rows and values as the querysets they stand for."""

from decimal import Decimal

import pytest
from django.db import connection

from catalog import selectors
from catalog.models import (
    AlternateKind,
    ParameterValue,
    PartAlternate,
    PriceBreak,
    Supplier,
    SupplierOffer,
)
from tests.factories import (
    PackagingOptionFactory,
    ParameterDefinitionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def part():
    part = PartFactory(mpn="RC0603FR-0710KL")
    option = PackagingOptionFactory(part=part)
    for quantity, price in ((1, "0.0120"), (100, "0.0061")):
        PriceBreakFactory(packaging=option, min_quantity=quantity, unit_price=Decimal(price))
    definition = ParameterDefinitionFactory(category=part.category)
    part.parameter_values.create(definition=definition, si_value=10000.0, text="10kΩ")
    supplier = Supplier.objects.create(name="Shenzhen Components", code="SZC")
    SupplierOffer.objects.create(part=part, supplier=supplier, quantity=12000, lead_days=7)
    stocked = PartFactory(category=part.category)
    StockFactory(part=stocked, on_hand=300)
    PartAlternate.objects.create(part=part, alternate=stocked, kind=AlternateKind.DROP_IN)
    PartAlternate.objects.create(
        part=part, alternate=PartFactory(category=part.category), kind=AlternateKind.DROP_IN
    )
    return part


def values(objects, *names):
    return [tuple(getattr(obj, name) for name in names) for obj in objects]


def test_price_breaks_come_with_their_packaging_and_exact_prices(part):
    rows = selectors._part_price_breaks(part.pk)
    expected = list(PriceBreak.objects.filter(packaging__part=part).select_related("packaging"))

    assert sorted(values(rows, "pk", "unit_price", "min_quantity")) == sorted(
        values(expected, "pk", "unit_price", "min_quantity")
    )
    assert all(isinstance(row.unit_price, Decimal) for row in rows)
    assert {row.packaging.part_id for row in rows} == {part.pk}


def test_parameters_come_with_their_definition(part):
    (row,) = selectors._part_parameters(part.pk)
    expected = ParameterValue.objects.select_related("definition").get(part=part)

    assert (row.text, row.si_value, row.definition.name) == (
        expected.text, expected.si_value, expected.definition.name,
    )


def test_alternates_come_with_manufacturer_and_stock_or_none(
    part, django_assert_num_queries
):
    rows = selectors._part_alternates(part.pk)

    with django_assert_num_queries(0):
        on_hand = sorted(
            row.alternate.stock.on_hand if hasattr(row.alternate, "stock") else -1
            for row in rows
        )
        assert all(row.alternate.manufacturer.name for row in rows)
    assert on_hand == [-1, 300]


def test_offers_come_with_their_supplier(part):
    (row,) = selectors._part_offers(part.pk)

    assert (row.supplier.code, row.quantity, row.lead_days) == ("SZC", 12000, 7)


def test_another_part_gets_its_own_rows(part):
    other = PartFactory()

    assert selectors._part_price_breaks(other.pk) == []
    assert selectors._part_parameters(other.pk) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements sent together")
def test_on_postgresql_the_page_reads_take_one_round_trip(part, django_assert_num_queries):
    selectors.category_tree()  # the site-wide category tree, loaded once for every page

    with django_assert_num_queries(1):
        data = selectors.part_page_data(part)

    assert [len(data.parameters), len(data.supplier_offers), len(data.alternates)] == [1, 1, 2]
    assert [pb.min_quantity for pb in data.main_ladder] == [1, 100]


def _prepared_statements() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")
def test_on_postgresql_the_page_reads_are_prepared_once_and_planned_generically(part):
    before = dict(_prepared_statements())  # the connection lives through the test session
    selectors.part_page_data(part)
    selectors.part_page_data(PartFactory())

    after = _prepared_statements()
    planned = {sql: plans - before.get(sql, 0) for sql, plans in after if "catalog_" in sql}
    used = [sql for sql, plans in planned.items() if plans]
    assert len(used) == 5  # parameters, price breaks, offers, alternates, images
    assert all(planned[sql] == 2 for sql in used)  # each planned generically, for both parts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")
def test_prepared_reads_give_the_rows_of_the_querysets(part):
    for read in (selectors._part_parameters, selectors._part_price_breaks,
                 selectors._part_offers, selectors._part_alternates, selectors._part_images):
        assert [row.pk for row in read(part.pk)] == [row.pk for row in read.build(part.pk)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")
def test_with_prepared_reads_off_nothing_is_prepared(part, settings):
    settings.DATABASE_PREPARED_READS = False

    data = selectors.part_page_data(part)

    assert [len(data.parameters), len(data.supplier_offers), len(data.alternates)] == [1, 1, 2]
    assert not [sql for sql, _plans in _prepared_statements() if "catalog_" in sql]



@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements")
def test_the_execute_wrappers_see_a_prepared_read_once(part):
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        selectors.part_page_data(part)

    assert len(seen) == 1 and "catalog_parametervalue" in seen[0]
