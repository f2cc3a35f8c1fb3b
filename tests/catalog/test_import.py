"""Catalog file import: what good rows create and what a re-import changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.imports import import_catalog_file
from catalog.models import (
    Manufacturer,
    PackagingKind,
    ParameterValue,
    Part,
    PriceBreak,
    Stock,
    SupplierOffer,
)
from tests.catalog.factories_import import (
    ManufacturerAliasFactory,
    part_row,
    read_report,
    resistor_category,
    write_csv,
)
from tests.factories import ManufacturerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def category():
    return resistor_category()


def run(tmp_path, rows, **kwargs):
    return import_catalog_file(path=write_csv(tmp_path, rows), **kwargs)


def ladder(part, kind=PackagingKind.CUT_TAPE):
    return [
        (pb.min_quantity, pb.unit_price)
        for pb in PriceBreak.objects.filter(packaging__part=part, packaging__kind=kind)
    ]


def test_new_row_creates_a_part_with_a_sku_from_its_id(tmp_path):
    result = run(tmp_path, [part_row()])

    part = Part.objects.get()
    assert (result.created, result.updated, result.rejected) == (1, 0, 0)
    assert part.sku == f"P{1_000_000 + part.pk}"
    assert part.normalized_mpn == "RC0603FR0710KL"


def test_new_row_sets_the_part_fields(tmp_path):
    run(tmp_path, [part_row()])

    part = Part.objects.get()
    assert (part.package, part.lifecycle, part.rohs, part.msl) == (
        "0603",
        "active",
        "compliant",
        "1",
    )
    assert (part.moq, part.order_multiple) == (10, 10)
    assert part.datasheet_url == "https://example.com/rc0603.pdf"
    assert part.category.path == "resistors"


def test_new_row_sets_the_price_ladder(tmp_path):
    run(tmp_path, [part_row()])

    assert ladder(Part.objects.get()) == [
        (1, Decimal("0.012")),
        (100, Decimal("0.0061")),
        (1000, Decimal("0.0042")),
    ]


def test_new_row_sets_stock_on_hand(tmp_path):
    run(tmp_path, [part_row(stock="42000")])

    stock = Stock.objects.get()
    assert (stock.on_hand, stock.reserved) == (42000, 0)


def test_new_row_without_stock_gets_an_empty_stock_row(tmp_path):
    run(tmp_path, [part_row(stock="")])

    assert Stock.objects.get().on_hand == 0


def test_numeric_parameter_stores_si_value_and_canonical_text(tmp_path):
    run(tmp_path, [part_row(**{"param:resistance": "10 kΩ"})])

    value = ParameterValue.objects.get(definition__key="resistance")
    assert (value.si_value, value.text) == (10000.0, "10kΩ")


def test_text_parameter_stores_the_text_as_written(tmp_path):
    run(tmp_path, [part_row()])

    value = ParameterValue.objects.get(definition__key="composition")
    assert (value.si_value, value.text) == (None, "Thick film")


def test_supplier_columns_create_the_supplier_and_its_offer(tmp_path):
    run(tmp_path, [part_row()])

    offer = SupplierOffer.objects.select_related("supplier").get()
    assert offer.supplier.code == "hk-stock"
    assert (offer.quantity, offer.lead_days, offer.cost) == (250000, 5, Decimal("0.0015"))


def test_reel_prices_create_a_full_reel_option(tmp_path):
    run(tmp_path, [part_row(reel_quantity="5000", reel_prices="5000:0.0021|25000:0.0018")])

    part = Part.objects.get()
    reel = part.packaging_options.get(kind=PackagingKind.REEL)
    assert reel.reel_quantity == 5000
    assert ladder(part, PackagingKind.REEL) == [
        (5000, Decimal("0.0021")),
        (25000, Decimal("0.0018")),
    ]


def test_unknown_manufacturer_is_created(tmp_path):
    run(tmp_path, [part_row(manufacturer="Nexperia B.V.")])

    maker = Manufacturer.objects.get()
    assert (maker.name, maker.slug) == ("Nexperia B.V.", "nexperia-bv")


def test_alias_finds_the_existing_manufacturer(tmp_path):
    texas = ManufacturerFactory(name="Texas Instruments")
    ManufacturerAliasFactory(manufacturer=texas, name="TI")

    run(tmp_path, [part_row(manufacturer="ti")])

    assert Part.objects.get().manufacturer == texas
    assert Manufacturer.objects.count() == 1


def test_manufacturer_name_matches_whatever_the_case(tmp_path):
    yageo = ManufacturerFactory(name="Yageo")

    run(tmp_path, [part_row(manufacturer="YAGEO")])

    assert Part.objects.get().manufacturer == yageo


def test_reimport_updates_the_part_and_keeps_its_sku_and_url(tmp_path):
    run(tmp_path, [part_row()])
    before = Part.objects.get()

    result = run(tmp_path, [part_row(mpn="rc0603fr-0710kl", description="New text")])

    part = Part.objects.get()
    assert (result.created, result.updated) == (0, 1)
    assert part.description == "New text"
    assert (part.pk, part.sku) == (before.pk, before.sku)
    assert part.get_absolute_url() == before.get_absolute_url()


def test_reimport_replaces_the_price_ladder(tmp_path):
    run(tmp_path, [part_row()])

    run(tmp_path, [part_row(prices="1:0.0100|500:0.0050")])

    assert ladder(Part.objects.get()) == [(1, Decimal("0.01")), (500, Decimal("0.005"))]


def test_empty_cells_leave_what_the_part_has(tmp_path):
    run(tmp_path, [part_row()])

    run(tmp_path, [part_row(prices="", stock="", description="", lifecycle="")])

    part = Part.objects.get()
    assert part.description.startswith("10 kΩ")
    assert len(ladder(part)) == 3
    assert Stock.objects.get().on_hand == 42000


def test_reimport_never_touches_reserved_stock(tmp_path):
    run(tmp_path, [part_row(stock="100")])
    Stock.objects.update(reserved=30)

    run(tmp_path, [part_row(stock="80")])

    stock = Stock.objects.get()
    assert (stock.on_hand, stock.reserved) == (80, 30)


def test_offer_without_cost_keeps_the_cost_it_had(tmp_path):
    run(tmp_path, [part_row()])

    run(tmp_path, [part_row(supplier_quantity="10", supplier_cost="")])

    offer = SupplierOffer.objects.get()
    assert (offer.quantity, offer.cost) == (10, Decimal("0.0015"))


def test_same_part_twice_in_one_file_ends_with_the_later_row(tmp_path):
    result = run(tmp_path, [part_row(description="first"), part_row(description="second")])

    assert Part.objects.get().description == "second"
    assert (result.created, result.updated) == (1, 1)


def test_parts_spread_over_many_batches_all_land(tmp_path, settings):
    settings.CATALOG_IMPORT_BATCH_SIZE = 3
    rows = [part_row(mpn=f"RC0603-{n}") for n in range(10)]

    seen = []
    result = run(tmp_path, rows, progress=seen.append)

    assert Part.objects.count() == 10
    assert result.rows_total == 10
    assert seen == [3, 6, 9, 10]
    assert Part.objects.filter(sku__isnull=True).count() == 0


def test_no_report_when_every_row_lands(tmp_path):
    result = run(tmp_path, [part_row()], report_path=tmp_path / "rejects.csv")

    assert result.report_path is None
    assert not (tmp_path / "rejects.csv").exists()


def test_report_written_where_asked(tmp_path):
    result = run(tmp_path, [part_row(mpn="")], report_path=tmp_path / "rejects.csv")

    assert result.report_path == tmp_path / "rejects.csv"
    assert read_report(result.report_path)[0]["column"] == "mpn"


# --- the part page's "last changed" date ---


def backdate() -> None:
    Part.objects.update(page_changed_at=timezone.now() - timedelta(days=3))


def page_changed_recently() -> bool:
    return Part.objects.get().page_changed_at > timezone.now() - timedelta(hours=1)


def test_unchanged_reimport_keeps_the_page_date(tmp_path):
    run(tmp_path, [part_row()])
    backdate()

    run(tmp_path, [part_row()])

    assert not page_changed_recently()


def test_price_change_moves_the_page_date(tmp_path):
    run(tmp_path, [part_row()])
    backdate()

    run(tmp_path, [part_row(prices="1:0.0110")])

    assert page_changed_recently()


def test_parameter_change_moves_the_page_date(tmp_path):
    run(tmp_path, [part_row()])
    backdate()

    run(tmp_path, [part_row(**{"param:resistance": "4k7"})])

    assert page_changed_recently()


def test_stock_count_change_keeps_the_page_date(tmp_path):
    run(tmp_path, [part_row(stock="500")])
    backdate()

    run(tmp_path, [part_row(stock="499")])

    assert Stock.objects.get().on_hand == 499
    assert not page_changed_recently()


def test_running_out_of_stock_moves_the_page_date(tmp_path):
    run(tmp_path, [part_row(stock="500")])
    backdate()

    run(tmp_path, [part_row(stock="0")])

    assert page_changed_recently()


def test_lifecycle_change_moves_the_page_date(tmp_path):
    run(tmp_path, [part_row()])
    backdate()

    run(tmp_path, [part_row(lifecycle="EOL")])

    assert Part.objects.get().lifecycle == "eol"
    assert page_changed_recently()
