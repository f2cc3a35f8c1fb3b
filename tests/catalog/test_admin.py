"""The catalog admin as operations staff use it: find parts, filter, export, edit stock."""

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import F
from django.urls import reverse

from catalog import services
from catalog.imports import import_catalog_file
from catalog.models import PackagingKind, Part, Stock
from tests.catalog.factories_admin import (
    ParameterValueFactory,
    SupplierFactory,
    SupplierOfferFactory,
)
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

CHANGELIST = reverse("admin:catalog_part_changelist")
EXPORT = reverse("admin:catalog_part_export")


def listed_skus(response) -> set[str]:
    return {part.sku for part in response.context["cl"].result_list}


def part_with_prices(**kwargs) -> Part:
    part = PartFactory(**kwargs)
    StockFactory(part=part, on_hand=500)
    cut_tape = PackagingOptionFactory(part=part, kind=PackagingKind.CUT_TAPE)
    PriceBreakFactory(packaging=cut_tape, min_quantity=1, unit_price=Decimal("0.012"))
    PriceBreakFactory(packaging=cut_tape, min_quantity=10, unit_price=Decimal("0.0095"))
    return Part.objects.get(pk=part.pk)


def change_form_data(response) -> dict:
    """The POST a browser would send back for an admin change form as rendered."""
    data = {}
    form = response.context["adminform"].form
    for field in form:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for inline_form in formset.forms:
            for field in inline_form:
                value = field.value()
                if value is None or field.name == "DELETE":
                    continue
                data[field.html_name] = value
    return data


# --- Part list -------------------------------------------------------------------------------


def test_part_list_takes_the_same_queries_for_thirty_parts_as_for_one(
    admin_client, django_assert_max_num_queries
):
    part_with_prices()
    with django_assert_max_num_queries(12) as one_part:
        admin_client.get(CHANGELIST)
    for _ in range(29):
        part_with_prices()

    with django_assert_max_num_queries(len(one_part.captured_queries)):
        response = admin_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 30


def test_part_list_shows_available_stock_and_first_break_price(admin_client):
    part = part_with_prices()
    Stock.objects.filter(part=part).update(on_hand=500, reserved=120)

    response = admin_client.get(CHANGELIST)

    row = response.context["cl"].result_list[0]
    assert (row.available_qty, row.first_price) == (380, Decimal("0.012"))
    assert "0.0120" in response.content.decode()


@pytest.mark.parametrize("spelling", ["rc0603fr-0710kl", "RC0603FR0710KL", "RC0603FR 07"])
def test_search_finds_a_part_by_any_spelling_of_its_mpn(admin_client, spelling):
    part = PartFactory(mpn="RC0603FR-0710KL")
    PartFactory(mpn="GRM188R71H104KA93D")

    response = admin_client.get(CHANGELIST, {"q": spelling})

    assert listed_skus(response) == {Part.objects.get(pk=part.pk).sku}


def test_search_finds_a_part_by_its_sku(admin_client):
    part = PartFactory(mpn="RC0603FR-0710KL")
    PartFactory(mpn="GRM188R71H104KA93D")
    sku = Part.objects.get(pk=part.pk).sku

    response = admin_client.get(CHANGELIST, {"q": sku.lower()})

    assert listed_skus(response) == {sku}


def test_stock_filter_in_stock_lists_only_parts_with_pieces_available(admin_client):
    available = StockFactory(on_hand=10, reserved=0).part
    StockFactory(on_hand=10, reserved=10)
    PartFactory()

    response = admin_client.get(CHANGELIST, {"stock": "in"})

    assert listed_skus(response) == {Part.objects.get(pk=available.pk).sku}


def test_stock_filter_out_of_stock_includes_fully_reserved_and_stockless_parts(admin_client):
    StockFactory(on_hand=10, reserved=0)
    reserved = StockFactory(on_hand=10, reserved=10).part
    stockless = PartFactory()

    response = admin_client.get(CHANGELIST, {"stock": "out"})

    assert listed_skus(response) == set(
        Part.objects.filter(pk__in=[reserved.pk, stockless.pk]).values_list("sku", flat=True)
    )


def test_stock_filter_below_a_hundred_lists_low_stock(admin_client):
    low = StockFactory(on_hand=150, reserved=60).part
    StockFactory(on_hand=150, reserved=0)

    response = admin_client.get(CHANGELIST, {"stock": "lt100"})

    assert listed_skus(response) == {Part.objects.get(pk=low.pk).sku}


def test_category_filter_lists_parts_of_the_whole_subtree(admin_client):
    passives = CategoryFactory(slug="passives")
    resistors = CategoryFactory(slug="resistors", parent=passives)
    inside = PartFactory(category=resistors)
    PartFactory(category=CategoryFactory(slug="semiconductors"))

    response = admin_client.get(CHANGELIST, {"category": passives.pk})

    assert listed_skus(response) == {Part.objects.get(pk=inside.pk).sku}


def test_manufacturer_filter_takes_a_typed_name(admin_client):
    yageo = PartFactory(manufacturer=ManufacturerFactory(name="YAGEO"))
    PartFactory(manufacturer=ManufacturerFactory(name="Murata"))

    response = admin_client.get(CHANGELIST, {"manufacturer": "yag"})

    assert listed_skus(response) == {Part.objects.get(pk=yageo.pk).sku}


# --- CSV export ------------------------------------------------------------------------------


def export_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_export_writes_parts_in_the_import_format(admin_client):
    category = CategoryFactory(slug="chip-resistors")
    part = part_with_prices(
        mpn="RC0603FR-0710KL", manufacturer=ManufacturerFactory(name="YAGEO"), category=category
    )
    ParameterValueFactory(part=part, text="10kΩ")

    response = admin_client.get(EXPORT)

    assert response["Content-Type"].startswith("text/csv")
    [row] = export_rows(response)
    assert row == {
        "manufacturer": "YAGEO",
        "mpn": "RC0603FR-0710KL",
        "category": "chip-resistors",
        "description": "Thick film chip resistor",
        "package": "0603",
        "datasheet_url": "",
        "lifecycle": "active",
        "rohs": "unknown",
        "msl": "",
        "packaging": "",
        "moq": "1",
        "order_multiple": "1",
        "stock": "500",
        "packaging_kind": "cut_tape",
        "prices": "1:0.0120|10:0.0095",
        "reel_quantity": "",
        "reel_prices": "",
        "supplier": "",
        "supplier_quantity": "",
        "supplier_lead_days": "",
        "supplier_cost": "",
        "param:resistance": "10kΩ",
    }


def test_export_writes_full_reel_ladder_and_supplier_offer(admin_client):
    part = part_with_prices()
    reel = PackagingOptionFactory(part=part, kind=PackagingKind.REEL, reel_quantity=5000)
    PriceBreakFactory(packaging=reel, min_quantity=5000, unit_price=Decimal("0.0021"))
    SupplierOfferFactory(part=part, supplier=SupplierFactory(code="hk-stock"), lead_days=5)

    [row] = export_rows(admin_client.get(EXPORT))

    assert (row["reel_quantity"], row["reel_prices"]) == ("5000", "5000:0.0021")
    assert (row["supplier"], row["supplier_quantity"], row["supplier_lead_days"]) == (
        "hk-stock",
        "250000",
        "5",
    )
    assert row["supplier_cost"] == "0.0015"


def test_export_follows_the_changelist_filter(admin_client):
    PartFactory(mpn="RC0603FR-0710KL")
    PartFactory(mpn="GRM188R71H104KA93D")

    rows = export_rows(admin_client.get(EXPORT, {"q": "grm188"}))

    assert [row["mpn"] for row in rows] == ["GRM188R71H104KA93D"]


def test_export_action_writes_the_selected_parts(admin_client):
    chosen = PartFactory(mpn="RC0603FR-0710KL")
    PartFactory(mpn="GRM188R71H104KA93D")

    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]}
    )

    assert [row["mpn"] for row in export_rows(response)] == ["RC0603FR-0710KL"]


# --- Change form -----------------------------------------------------------------------------


def test_part_change_form_shows_its_inlines(admin_client):
    part = part_with_prices()
    SupplierOfferFactory(part=part)

    response = admin_client.get(reverse("admin:catalog_part_change", args=[part.pk]))

    assert response.status_code == 200
    prefixes = {inline.formset.prefix for inline in response.context["inline_admin_formsets"]}
    assert prefixes == {
        "stock",
        "packaging_options",
        "parameter_values",
        "supplier_offers",
        "alternates",
        "images",
    }
    assert "1:0.0120|10:0.0095" in response.content.decode()


def test_parameter_choices_are_those_of_the_parts_category(admin_client):
    part = PartFactory()
    own = ParameterDefinitionFactory(category=part.category, key="resistance")
    other = ParameterDefinitionFactory(key="capacitance", name="Capacitance")

    response = admin_client.get(reverse("admin:catalog_part_change", args=[part.pk]))

    [params] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "parameter_values"
    ]
    choices = set(params.empty_form.fields["definition"].queryset)
    assert own in choices and other not in choices


def test_setting_stock_below_reserved_shows_an_error_and_changes_nothing(admin_client):
    part = part_with_prices()
    Stock.objects.filter(part=part).update(on_hand=500, reserved=300)
    url = reverse("admin:catalog_part_change", args=[part.pk])
    data = change_form_data(admin_client.get(url))
    data.update({"stock-0-on_hand": 200, "description": "Changed in the same save"})

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "300 pieces are reserved" in response.content.decode()
    assert Stock.objects.values_list("on_hand", "reserved").get(part=part) == (500, 300)
    assert Part.objects.get(pk=part.pk).description == "Thick film chip resistor"


def test_saving_stock_changes_only_on_hand(admin_client):
    part = part_with_prices()
    Stock.objects.filter(part=part).update(on_hand=500, reserved=300)
    url = reverse("admin:catalog_part_change", args=[part.pk])
    data = change_form_data(admin_client.get(url))
    data["stock-0-on_hand"] = 800

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert Stock.objects.values_list("on_hand", "reserved").get(part=part) == (800, 300)


def test_saving_a_visible_change_marks_the_part_page_changed(admin_client):
    part = part_with_prices()
    before = part.page_changed_at
    url = reverse("admin:catalog_part_change", args=[part.pk])
    data = change_form_data(admin_client.get(url))
    data["description"] = "10 kΩ ±1% 0.1W 0603 thick film resistor"

    admin_client.post(url, data)

    assert Part.objects.get(pk=part.pk).page_changed_at > before


def test_saving_without_changes_leaves_the_part_page_date(admin_client):
    part = part_with_prices()
    before = part.page_changed_at
    url = reverse("admin:catalog_part_change", args=[part.pk])

    admin_client.post(url, change_form_data(admin_client.get(url)))

    assert Part.objects.get(pk=part.pk).page_changed_at == before


def test_numeric_parameter_is_stored_with_its_si_value(admin_client):
    part = PartFactory()
    definition = ParameterDefinitionFactory(category=part.category)
    url = reverse("admin:catalog_part_change", args=[part.pk])
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "parameter_values-TOTAL_FORMS": 1,
            "parameter_values-0-definition": definition.pk,
            "parameter_values-0-text": "4k7",
        }
    )

    admin_client.post(url, data)

    value = part.parameter_values.get()
    assert (value.si_value, value.text) == (4700.0, "4.7kΩ")


def test_price_ladder_with_a_price_rising_with_quantity_is_refused(admin_client):
    packaging = PackagingOptionFactory()
    url = reverse("admin:catalog_packagingoption_change", args=[packaging.pk])
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "price_breaks-0-min_quantity": 1,
            "price_breaks-0-unit_price": "0.0100",
            "price_breaks-1-min_quantity": 100,
            "price_breaks-1-unit_price": "0.0200",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "prices must not rise with quantity" in response.content.decode()
    assert not packaging.price_breaks.exists()


def test_manufacturer_list_shows_part_counts(admin_client):
    maker = ManufacturerFactory(name="YAGEO")
    PartFactory.create_batch(3, manufacturer=maker)

    response = admin_client.get(reverse("admin:catalog_manufacturer_changelist"))

    [row] = response.context["cl"].result_list
    assert row._part_count == 3


# --- Stock service ---------------------------------------------------------------------------


def test_stock_on_hand_cannot_be_set_below_reserved():
    stock = StockFactory(on_hand=500, reserved=300)

    with pytest.raises(ValidationError, match="300 pieces are reserved"):
        services.stock_set_on_hand(part_id=stock.part_id, on_hand=299)

    assert Stock.objects.values_list("on_hand", "reserved").get(pk=stock.pk) == (500, 300)


def test_stock_going_out_of_stock_marks_the_part_page_changed():
    stock = StockFactory(on_hand=500, reserved=0)
    before = Part.objects.get(pk=stock.part_id).page_changed_at

    services.stock_set_on_hand(part_id=stock.part_id, on_hand=0)

    assert Part.objects.get(pk=stock.part_id).page_changed_at > before


def test_stock_count_correction_while_in_stock_leaves_the_part_page_date():
    stock = StockFactory(on_hand=500, reserved=0)
    before = Part.objects.get(pk=stock.part_id).page_changed_at

    services.stock_set_on_hand(part_id=stock.part_id, on_hand=480)

    assert Part.objects.get(pk=stock.part_id).page_changed_at == before


def test_stock_is_created_for_a_part_without_stock():
    part = PartFactory()

    services.stock_set_on_hand(part_id=part.pk, on_hand=42)

    assert Stock.objects.values_list("on_hand", "reserved").get(part=part) == (42, 0)


def test_adding_an_mpn_the_manufacturer_already_has_in_another_spelling_is_refused(
    admin_client,
):
    existing = PartFactory(mpn="RC0603FR-0710KL")
    url = reverse(
        "admin:catalog_part_change", args=[PartFactory(manufacturer=existing.manufacturer).pk]
    )
    data = change_form_data(admin_client.get(url))
    data["mpn"] = "rc0603fr 0710kl"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "already has this MPN" in response.content.decode()


def test_reservation_landing_during_the_save_leaves_everything_as_it_was(admin_client, monkeypatch):
    part = part_with_prices()
    url = reverse("admin:catalog_part_change", args=[part.pk])
    data = change_form_data(admin_client.get(url))
    data.update({"stock-0-on_hand": 400, "description": "Changed in the same save"})
    set_on_hand = services.stock_set_on_hand

    def order_reserves_first(*, part_id, on_hand):
        Stock.objects.filter(part_id=part_id).update(reserved=450)
        return set_on_hand(part_id=part_id, on_hand=on_hand)

    monkeypatch.setattr(services, "stock_set_on_hand", order_reserves_first)

    response = admin_client.post(url, data, follow=True)

    assert "Nothing was saved" in response.content.decode()
    assert Stock.objects.get(part=part).on_hand == 500
    assert Part.objects.get(pk=part.pk).description == "Thick film chip resistor"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_stock_count_correction_loses_no_concurrent_reservation():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    stock = StockFactory(on_hand=500, reserved=0)
    workers = 12
    barrier = Barrier(workers + 1)

    def reserve_ten() -> int:
        try:
            barrier.wait()
            return Stock.objects.filter(
                part_id=stock.part_id, on_hand__gte=F("reserved") + 10
            ).update(reserved=F("reserved") + 10)
        finally:
            connections.close_all()

    def count_correction() -> bool:
        try:
            barrier.wait()
            services.stock_set_on_hand(part_id=stock.part_id, on_hand=300)
            return True
        except ValidationError:
            return False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(workers + 1) as pool:
        reservations = [pool.submit(reserve_ten) for _ in range(workers)]
        corrected = pool.submit(count_correction)
        reserved = 10 * sum(future.result() for future in reservations)

    final = Stock.objects.get(pk=stock.pk)
    assert final.reserved == reserved
    assert final.on_hand == (300 if corrected.result() else 500)


def test_exported_file_imports_back_without_rejects_or_changes(admin_client, tmp_path):
    part = part_with_prices(manufacturer=ManufacturerFactory(name="YAGEO"))
    tray = PackagingOptionFactory(part=part, kind=PackagingKind.TRAY)
    PriceBreakFactory(packaging=tray, min_quantity=100, unit_price=Decimal("0.02"))
    reel = PackagingOptionFactory(part=part, kind=PackagingKind.REEL, reel_quantity=5000)
    PriceBreakFactory(packaging=reel, min_quantity=5000, unit_price=Decimal("0.0021"))
    SupplierOfferFactory(part=part, supplier=SupplierFactory(code="hk-stock"))
    SupplierOfferFactory(part=part, supplier=SupplierFactory(code="sz-stock"), lead_days=9)
    ParameterValueFactory(part=part, text="10kΩ")
    first = b"".join(admin_client.get(EXPORT).streaming_content)
    exported = tmp_path / "parts.csv"
    exported.write_bytes(first)

    result = import_catalog_file(path=exported)

    assert (result.rejected, result.created) == (0, 0)
    assert b"".join(admin_client.get(EXPORT).streaming_content) == first


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"datasheet\")", "@SUM(A1)", "\t=1+1", "-2+3"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_export_never_writes_a_cell_a_spreadsheet_reads_as_a_formula(admin_client, formula):
    part = part_with_prices(mpn="+5V0-REG", description=formula)
    ParameterValueFactory(part=part, text="-40°C")

    body = b"".join(admin_client.get(EXPORT).streaming_content).decode("utf-8-sig")

    cells = [cell for line in csv.reader(io.StringIO(body)) for cell in line]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    [row] = export_rows_of(body)
    assert row["description"] == "'" + formula
    assert row["mpn"] == "'+5V0-REG"


def export_rows_of(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body)))


def test_an_exported_mpn_and_description_with_formula_characters_import_back_unchanged(
    admin_client, tmp_path
):
    part = part_with_prices(mpn="-48V-PSU", description="=1+1 is not a formula here")
    exported = tmp_path / "parts.csv"
    exported.write_bytes(b"".join(admin_client.get(EXPORT).streaming_content))
    Part.objects.filter(pk=part.pk).update(description="changed")

    result = import_catalog_file(path=exported)

    assert (result.rejected, result.created, result.updated) == (0, 0, 1)
    part.refresh_from_db()
    assert (part.mpn, part.description) == ("-48V-PSU", "=1+1 is not a formula here")
