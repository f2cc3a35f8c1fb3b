"""Values mean what an engineer means: ratings are minimums, tolerances maximums, and a value
is labelled with the parameter meant in the category at hand."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection

from catalog.models import Part, ValueMatch
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


def add_part(mpn, category, values, *, package="0805"):
    part = PartFactory(
        mpn=mpn, manufacturer=MAKER(), category=category, package=package, description=mpn
    )
    StockFactory(part=part, on_hand=1000)
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part), unit_price=Decimal("0.01"))
    for definition, si_value in values:
        part.parameter_values.create(definition=definition, si_value=si_value, text=str(si_value))
    return part


def MAKER():
    return ManufacturerFactory(name="Samsung", slug="samsung")


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mlcc():
    category = CategoryFactory(name="MLCC", slug="mlcc")
    capacitance = ParameterDefinitionFactory(
        category=category, key="capacitance", name="Capacitance", unit="F", position=0
    )
    voltage = ParameterDefinitionFactory(
        category=category,
        key="voltage",
        name="Rated voltage",
        unit="V",
        position=1,
        is_key=True,
        search_match=ValueMatch.AT_LEAST,
    )
    tolerance = ParameterDefinitionFactory(
        category=category,
        key="tolerance",
        name="Tolerance",
        unit="%",
        position=2,
        search_match=ValueMatch.AT_MOST,
    )
    for volts in (16, 25, 35, 50):
        for percent in (5, 10, 20):
            add_part(
                f"CL21A475K{volts}V{percent}",
                category,
                [(capacitance, 4.7e-6), (voltage, volts), (tolerance, percent)],
            )
    return category


@pytest.fixture
def tvs():
    category = CategoryFactory(name="TVS diodes", slug="tvs")
    standoff = ParameterDefinitionFactory(
        category=category,
        key="standoff-voltage",
        name="Reverse standoff voltage",
        unit="V",
        position=0,
        is_key=True,
    )
    clamping = ParameterDefinitionFactory(
        category=category, key="clamping-voltage", name="Clamping voltage (max)", unit="V",
        position=1,
    )
    add_part("SMBJ25A", category, [(standoff, 25), (clamping, 40.6)], package="SMB")
    add_part("SMBJ5.0A", category, [(standoff, 5), (clamping, 25)], package="SMB")
    return category


def result_mpns(client, query):
    response = client.get("/search/", {"q": query}, secure=True)
    assert response.status_code == 200
    return response, re.findall(r'<a href="/part/[^"]+/">([^<]+)</a>', response.content.decode())


def test_a_voltage_rating_finds_parts_rated_at_least_as_high(client, mlcc):
    _, mpns = result_mpns(client, "4.7uF 25V")

    volts = sorted({int(re.search(r"K(\d+)V", mpn).group(1)) for mpn in mpns})
    assert volts == [25, 35, 50]


def test_a_tolerance_finds_parts_at_least_as_tight(client, mlcc):
    _, mpns = result_mpns(client, "4.7uF 10%")

    percents = sorted({int(mpn.rsplit("V", 1)[1]) for mpn in mpns})
    assert percents == [5, 10]


def test_the_chip_says_how_the_value_is_read(client, mlcc):
    response, _ = result_mpns(client, "4.7uF 25V 10%")
    html = response.content.decode()

    assert "Rated voltage ≥ 25V" in html
    assert "Tolerance ≤ 10%" in html
    assert "Capacitance = 4.7µF" in html


def test_a_value_means_the_first_parameter_of_its_unit_in_each_category(client, tvs):
    _, mpns = result_mpns(client, "25V")

    # 25 V is SMBJ25A's standoff voltage; SMBJ5.0A only clamps at 25 V.
    assert mpns == ["SMBJ25A"]


def test_the_chip_names_the_parameter_of_the_category_the_results_are_in(client, mlcc, tvs):
    response, mpns = result_mpns(client, "4.7uF 50V")
    html = response.content.decode()

    assert mpns and all(mpn.startswith("CL21A475K") for mpn in mpns)
    assert "Rated voltage ≥ 50V" in html
    assert "Reverse standoff voltage" not in html


def test_a_category_in_the_query_says_which_parameter_the_value_means(client, mlcc, tvs):
    response, mpns = result_mpns(client, "25V tvs")

    assert mpns == ["SMBJ25A"]
    assert "Reverse standoff voltage = 25V" in response.content.decode()


def test_the_part_not_found_page_suggests_the_closest_part_numbers(client, mlcc):
    other = CategoryFactory(name="MCU", slug="mcu")
    for mpn in ("STM32F103C8T6", "STM32F030F4P6", "STM32F407VGT6"):
        add_part(mpn, other, [], package="LQFP-48")

    response = client.get("/part/samsung/STM32F13C8T6/", secure=True)
    html = response.content.decode()

    assert response.status_code == 404
    assert "STM32F103C8T6" in html
    assert "STM32F407VGT6" not in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 trigram table is SQLite's")
def test_the_sqlite_trigram_index_follows_renamed_and_deleted_parts(mlcc):
    from catalog.fuzzy import similar_part_numbers

    part = Part.objects.get(mpn="CL21A475K25V10")
    Part.objects.filter(pk=part.pk).update(normalized_mpn="GRM188R61H226KA93D")
    assert [p.pk for p in similar_part_numbers("GRM188R61H22KA93D")] == [part.pk]

    Part.objects.filter(pk=part.pk).delete()
    assert similar_part_numbers("GRM188R61H22KA93D") == []


def test_result_rows_show_supplier_stock_and_lead_time(client, mlcc):
    from catalog.models import Supplier, SupplierOffer

    part = Part.objects.get(mpn="CL21A475K50V20")
    part.stock.on_hand = 0
    part.stock.save()
    Part.objects.filter(pk=part.pk).update(stock_available=0)
    supplier = Supplier.objects.create(name="Shenzhen Components", code="SZC")
    SupplierOffer.objects.create(part=part, supplier=supplier, quantity=12000, lead_days=7)

    response, _ = result_mpns(client, "4.7uF 50V 20%")
    row = re.search(r"CL21A475K50V20</a>.*?</tr>", response.content.decode(), re.S).group(0)

    assert "12,000" in row and "in 7 days" in row
    assert '<span class="muted">0</span>' not in row


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 trigram table is SQLite's")
def test_the_trigram_index_is_rebuilt_when_a_migration_dropped_its_triggers(mlcc):
    from catalog.fuzzy import similar_part_numbers, sqlite_trigram_index_ensure

    with connection.cursor() as cursor:  # what SQLite does when a migration remakes the table
        cursor.execute("DROP TRIGGER catalog_part_mpn_trigram_insert")
    part = add_part("STM32F103C8T6", CategoryFactory(name="MCU", slug="mcu"), [])
    assert similar_part_numbers("STM32F13C8T6") == []

    assert sqlite_trigram_index_ensure(connection) is True
    assert [p.pk for p in similar_part_numbers("STM32F13C8T6")] == [part.pk]
    assert sqlite_trigram_index_ensure(connection) is False
