"""Demo catalog: believable, consistent, unique parts that import without a reject."""

from decimal import Decimal
from io import StringIO
from itertools import islice

import pytest
from django.core.management import call_command

from catalog.demo import DEMO_CATEGORIES, demo_columns, iter_demo_rows
from catalog.demo_names import demo_names_parts
from catalog.models import Category, Part, PriceBreak, Stock, normalize_mpn
from catalog.values import parse_value
from tests.factories import PartFactory

DEFINITIONS = {
    category.path: {parameter.key: parameter for parameter in category.parameters}
    for category in DEMO_CATEGORIES
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(iter_demo_rows(20_000, seed=7))


def _ladder(text: str) -> list[tuple[int, Decimal]]:
    return [
        (int(quantity), Decimal(price))
        for quantity, price in (step.split(":") for step in text.split("|"))
    ]


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = list(iter_demo_rows(500, seed=3))

    assert list(iter_demo_rows(500, seed=3)) == first
    assert list(iter_demo_rows(500, seed=4)) != first


def test_mpns_are_unique_per_manufacturer(rows):
    keys = [(row["manufacturer"], normalize_mpn(row["mpn"])) for row in rows]

    assert len(set(keys)) == len(keys) == 20_000


def test_every_numeric_parameter_parses_in_its_unit(rows):
    unparsed = []
    for row in rows:
        for column, text in row.items():
            if not column.startswith("param:") or not text:
                continue
            definition = DEFINITIONS[row["category"]][column.removeprefix("param:")]
            if definition.kind == "number":
                try:
                    parse_value(text, unit=definition.unit)
                except ValueError as exc:
                    unparsed.append((row["mpn"], column, text, str(exc)))

    assert unparsed == []


def test_price_ladders_are_positive_and_fall_with_quantity(rows):
    for row in rows:
        for column in ("prices", "reel_prices"):
            if not row[column]:
                continue
            ladder = _ladder(row[column])
            quantities = [quantity for quantity, _ in ladder]
            prices = [price for _, price in ladder]
            assert quantities == sorted(set(quantities)), row["mpn"]
            assert all(price > 0 for price in prices), row["mpn"]
            assert prices == sorted(prices, reverse=True), row["mpn"]
            assert prices[-1] < prices[0], row["mpn"]


def test_full_reel_ladders_sell_whole_reels(rows):
    reeled = [row for row in rows if row["reel_prices"]]

    assert reeled
    for row in reeled:
        reel = int(row["reel_quantity"])
        assert all(quantity % reel == 0 for quantity, _ in _ladder(row["reel_prices"]))


def test_a_well_known_part_reads_as_its_mpn_says():
    resistor = next(
        row for row in islice(iter_demo_rows(2_000), 2_000) if row["mpn"] == "RC0603FR-0710KL"
    )

    assert resistor["manufacturer"] == "YAGEO"
    assert resistor["param:resistance"] == "10kΩ"
    assert resistor["param:tolerance"] == "±1%"
    assert resistor["package"] == "0603"
    assert resistor["description"] == "10 kΩ ±1% 100 mW 0603 thick film chip resistor"


def test_rows_carry_every_column_of_the_header(rows):
    assert all(list(row) == demo_columns() for row in islice(rows, 100))


@pytest.mark.django_db
def test_loading_a_small_demo_fills_many_categories_without_rejects():
    out = StringIO()

    call_command("load_demo_catalog", parts=300, seed=1, stdout=out)

    assert "0 rejected" in out.getvalue()
    # The generated parts, and the few parts of Chinese makers from demo_data/names_zh.json.
    assert Part.objects.count() == 300 + len(demo_names_parts())
    leaves = Category.objects.filter(parts__isnull=False).distinct().count()
    assert leaves >= 12
    assert Stock.objects.filter(on_hand__gt=0).exists()
    assert PriceBreak.objects.exists()


@pytest.mark.django_db
def test_if_empty_leaves_a_catalog_with_parts_alone():
    existing = PartFactory()
    out = StringIO()

    call_command("load_demo_catalog", parts=50, if_empty=True, stdout=out)

    assert list(Part.objects.all()) == [existing]
    assert "not loaded" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_warehouse_keeps_stock_in_bins_and_marks_esd_sensitive_parts():
    call_command("load_demo_catalog", parts=300, seed=1, stdout=StringIO())

    assert not Stock.objects.filter(bin_location="").exists()
    assert Part.objects.filter(category__path__startswith="ics/", esd_sensitive=True).exists()
    assert not Part.objects.filter(
        category__path__startswith="passives/", esd_sensitive=True
    ).exists()


@pytest.mark.django_db
def test_a_demo_bin_reads_aisle_rack_and_shelf_from_the_part():
    call_command("load_demo_catalog", parts=300, seed=1, stdout=StringIO())

    tops = [category.path for category in DEMO_CATEGORIES if "/" not in category.path]
    for stock in Stock.objects.select_related("part__category")[:200]:
        aisle = "ABCDEFGHJKLMNPQRSTUVWXYZ"[tops.index(stock.part.category.path.split("/")[0])]
        rack, shelf = stock.part_id % 40 + 1, stock.part_id // 40 % 5 + 1
        assert stock.bin_location == f"{aisle}-{rack:02d}-{shelf}"
