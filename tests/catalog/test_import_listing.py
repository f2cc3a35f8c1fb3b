"""The listing copies on a part (first-break price, available stock) after imports and feeds:
what the import writes equals what services.part_listing_refresh computes from the tables."""

from decimal import Decimal

import pytest

from catalog.imports import import_catalog_file
from catalog.models import ImportKind, Part, Stock
from catalog.services import part_listing_refresh
from tests.catalog.factories_import import part_row, resistor_category, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def category():
    return resistor_category()


def run(tmp_path, rows, *, kind=ImportKind.CATALOG, name="parts.csv"):
    return import_catalog_file(path=write_csv(tmp_path, rows, name=name), kind=kind)


def listing() -> list[tuple]:
    return list(
        Part.objects.order_by("pk").values_list("mpn", "first_break_price", "stock_available")
    )


def assert_listing_is_fresh() -> list[tuple]:
    """The copies as imported, checked against a recomputation from the tables."""
    imported = listing()
    part_listing_refresh()
    assert listing() == imported
    return imported


def test_new_part_gets_its_first_break_price_and_stock(tmp_path):
    run(tmp_path, [part_row(stock="42000", prices="1:0.0120|100:0.0061|1000:0.0042")])

    assert assert_listing_is_fresh() == [("RC0603FR-0710KL", Decimal("0.012"), 42000)]


def test_new_part_without_stock_has_none_available(tmp_path):
    run(tmp_path, [part_row(stock="")])

    assert assert_listing_is_fresh() == [("RC0603FR-0710KL", Decimal("0.012"), 0)]


def test_new_part_priced_by_the_full_reel_only_has_no_first_break_price(tmp_path):
    run(tmp_path, [part_row(prices="", reel_quantity="5000", reel_prices="5000:0.0021")])

    assert assert_listing_is_fresh() == [("RC0603FR-0710KL", None, 42000)]


def test_reel_ladder_does_not_set_the_first_break_price(tmp_path):
    run(tmp_path, [part_row(reel_quantity="5000", reel_prices="5000:0.0021|25000:0.0018")])

    assert assert_listing_is_fresh()[0][1] == Decimal("0.012")


def test_reimport_with_a_new_ladder_moves_the_first_break_price(tmp_path):
    run(tmp_path, [part_row()])

    run(tmp_path, [part_row(prices="1:0.0100|500:0.0050")])

    assert assert_listing_is_fresh()[0][1] == Decimal("0.01")


def test_ladder_of_another_packaging_keeps_the_smaller_first_break(tmp_path):
    run(tmp_path, [part_row(prices="10:0.0150|100:0.0061")])

    run(tmp_path, [part_row(packaging_kind="tray", prices="1:0.0300")])

    assert assert_listing_is_fresh()[0][1] == Decimal("0.03")


def test_first_breaks_at_the_same_quantity_take_the_lower_price(tmp_path):
    run(tmp_path, [part_row(prices="1:0.0150")])

    run(tmp_path, [part_row(packaging_kind="tube", prices="1:0.0110")])

    assert assert_listing_is_fresh()[0][1] == Decimal("0.011")


def test_reimport_with_new_stock_subtracts_what_is_reserved(tmp_path):
    run(tmp_path, [part_row(stock="500")])
    Stock.objects.update(reserved=120)
    part_listing_refresh()

    run(tmp_path, [part_row(stock="800")])

    assert assert_listing_is_fresh()[0][2] == 680


def test_feed_with_new_stock_subtracts_what_is_reserved(tmp_path):
    run(tmp_path, [part_row(stock="500")])
    Stock.objects.update(reserved=30)
    part_listing_refresh()

    run(
        tmp_path,
        [{"manufacturer": "YAGEO", "mpn": "RC0603FR-0710KL", "stock": "700"}],
        kind=ImportKind.PRICE_STOCK,
        name="feed.csv",
    )

    assert assert_listing_is_fresh()[0][2] == 670


def test_feed_with_a_new_ladder_moves_the_first_break_price(tmp_path):
    run(tmp_path, [part_row()])

    run(
        tmp_path,
        [{"manufacturer": "YAGEO", "mpn": "RC0603FR-0710KL", "prices": "1:0.0090"}],
        kind=ImportKind.PRICE_STOCK,
        name="feed.csv",
    )

    assert assert_listing_is_fresh()[0][1] == Decimal("0.009")


def test_reimport_without_prices_or_stock_keeps_the_copies(tmp_path):
    run(tmp_path, [part_row(stock="500")])

    run(tmp_path, [part_row(prices="", stock="", description="New text")])

    assert assert_listing_is_fresh() == [("RC0603FR-0710KL", Decimal("0.012"), 500)]


def test_parts_over_many_batches_all_get_their_copies(tmp_path, settings):
    settings.CATALOG_IMPORT_BATCH_SIZE = 3
    rows = [part_row(mpn=f"RC-{n}", stock=str(n), prices=f"1:0.{n + 1:04d}") for n in range(8)]

    run(tmp_path, rows)

    assert assert_listing_is_fresh() == [
        (f"RC-{n}", Decimal(f"0.{n + 1:04d}"), n) for n in range(8)
    ]
