"""The price-and-stock feed: changes prices, stock and supplier offers of parts that exist."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.imports import import_catalog_file
from catalog.models import ImportKind, Part, PriceBreak, Stock, SupplierOffer
from tests.catalog.factories_import import part_row, read_report, resistor_category, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def part(tmp_path):
    resistor_category()
    import_catalog_file(path=write_csv(tmp_path, [part_row(stock="500")], name="catalog.csv"))
    Part.objects.update(page_changed_at=timezone.now() - timedelta(days=3))
    return Part.objects.get()


def feed(tmp_path, rows):
    path = write_csv(tmp_path, rows, name="feed.csv")
    return import_catalog_file(path=path, kind=ImportKind.PRICE_STOCK)


def feed_row(**overrides) -> dict:
    row = {
        "manufacturer": "YAGEO",
        "mpn": "RC0603FR-0710KL",
        "stock": "700",
        "prices": "1:0.0100|1000:0.0040",
        "supplier": "hk-stock",
        "supplier_quantity": "9000",
        "supplier_lead_days": "3",
    }
    row.update(overrides)
    return row


def test_feed_sets_stock_prices_and_offers(tmp_path, part):
    result = feed(tmp_path, [feed_row()])

    assert (result.created, result.updated, result.rejected) == (0, 1, 0)
    assert Stock.objects.get(part=part).on_hand == 700
    assert list(
        PriceBreak.objects.filter(packaging__part=part).values_list("min_quantity", "unit_price")
    ) == [(1, Decimal("0.01")), (1000, Decimal("0.004"))]
    offer = SupplierOffer.objects.get(part=part)
    assert (offer.quantity, offer.lead_days, offer.cost) == (9000, 3, Decimal("0.0015"))


def test_feed_changes_nothing_else_of_the_part(tmp_path, part):
    feed(tmp_path, [feed_row()])

    after = Part.objects.get()
    for name in ("description", "package", "lifecycle", "moq", "category_id", "sku", "mpn"):
        assert getattr(after, name) == getattr(part, name)
    assert after.parameter_values.count() == 3


def test_feed_rejects_a_part_that_does_not_exist(tmp_path):
    result = feed(tmp_path, [feed_row(mpn="NOPE-1")])

    [line] = read_report(result.report_path)
    assert (line["row"], line["column"], line["reason"]) == (
        "2",
        "mpn",
        "no such part of this manufacturer",
    )
    assert Part.objects.count() == 1


def test_feed_rejects_an_unknown_manufacturer_without_creating_it(tmp_path):
    result = feed(tmp_path, [feed_row(manufacturer="Nobody Inc")])

    assert read_report(result.report_path)[0]["column"] == "manufacturer"
    assert Part.objects.values("manufacturer").distinct().count() == 1


def test_feed_rejects_stock_below_reserved(tmp_path, part):
    Stock.objects.filter(part=part).update(reserved=450)

    result = feed(tmp_path, [feed_row(stock="449")])

    assert read_report(result.report_path)[0]["reason"] == (
        "below the 450 pieces reserved by open orders"
    )
    assert Stock.objects.get(part=part).on_hand == 500
    assert not SupplierOffer.objects.filter(quantity=9000).exists()


def test_feed_that_empties_stock_moves_the_page_date(tmp_path):
    feed(tmp_path, [feed_row(stock="0", prices="1:0.0120|100:0.0061|1000:0.0042")])

    assert Part.objects.get().page_changed_at > timezone.now() - timedelta(hours=1)


def test_feed_of_a_stock_count_keeps_the_page_date(tmp_path):
    feed(tmp_path, [{"manufacturer": "YAGEO", "mpn": "RC0603FR-0710KL", "stock": "499"}])

    assert Stock.objects.get().on_hand == 499
    assert Part.objects.get().page_changed_at < timezone.now() - timedelta(days=2)
