"""A listing page's rows (category and search pages) come from one query compiled once per
process (catalog.listing.listed_rows): the same values as the queryset it stands for, in the
order asked, for any number of rows up to a page."""

from decimal import Decimal

import pytest

from catalog import listing
from catalog.models import Part, Supplier, SupplierOffer
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory, StockFactory

pytestmark = pytest.mark.django_db

SHOWN = (
    "pk", "mpn", "lifecycle", "description", "package", "available", "price_one",
    "price_one_quantity", "price_volume", "price_volume_quantity", "supplier_quantity",
    "supplier_lead_days", "thumbnail_name",
)  # fmt: skip


def shown(rows):
    return [
        (*(getattr(row, name) for name in SHOWN), row.manufacturer.name, row.manufacturer.slug)
        for row in rows
    ]


@pytest.fixture
def parts():
    supplier = Supplier.objects.create(name="Shenzhen Components", code="SZC")
    made = []
    for number in range(3):
        part = PartFactory(mpn=f"RC0603FR-07{number}KL", package="0603")
        option = PackagingOptionFactory(part=part)
        for quantity, price in ((1, "0.0120"), (1000, "0.0031")):
            PriceBreakFactory(packaging=option, min_quantity=quantity, unit_price=Decimal(price))
        StockFactory(part=part, on_hand=100 * number)
        if number:
            SupplierOffer.objects.create(
                part=part, supplier=supplier, quantity=5000, lead_days=3 + number
            )
        made.append(part)
    made.append(PartFactory(mpn="BARE-1"))  # no prices, stock or offers
    return made


def test_rows_show_what_the_queryset_shows_in_the_order_asked(parts):
    ids = [parts[2].pk, parts[0].pk, parts[3].pk, parts[1].pk]
    expected = {
        row.pk: row
        for row in listing.with_listing_columns(Part.objects.filter(pk__in=ids))
    }

    rows = listing.listed_rows(ids)

    assert [row.pk for row in rows] == ids
    assert shown(rows) == shown([expected[pk] for pk in ids])
    assert rows[0].price_one == Decimal("0.0120") and rows[0].supplier_lead_days == 5
    assert rows[2].price_one is None and rows[2].supplier_quantity is None


def test_ids_of_no_part_are_left_out(parts):
    rows = listing.listed_rows([parts[1].pk, 999_999_999, parts[0].pk])

    assert [row.pk for row in rows] == [parts[1].pk, parts[0].pk]


def test_a_page_is_one_query_and_no_rows_none(parts, django_assert_num_queries):
    listing.listed_rows([parts[0].pk])  # compiled at first use

    with django_assert_num_queries(1):
        rows = listing.listed_rows([part.pk for part in parts])
        assert [row.manufacturer.name for row in rows]  # no query for the manufacturer
    with django_assert_num_queries(0):
        assert listing.listed_rows([]) == []


def test_more_ids_than_a_page_still_reads_them_all(parts):
    ids = [parts[0].pk] * listing.PAGE_SIZE + [parts[1].pk]

    assert {row.pk for row in listing.listed_rows(ids)} == {parts[0].pk, parts[1].pk}
