"""Search as engineers type it: part numbers in any spelling, values, keywords, bad input."""

import re
from decimal import Decimal

import pytest

from catalog import services
from catalog.models import ManufacturerAlias, ParameterKind, SearchLog
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


def add_part(mpn, maker, category, *, package="", description="", values=(), stock=100):
    part = PartFactory(
        mpn=mpn, manufacturer=maker, category=category, package=package, description=description
    )
    StockFactory(part=part, on_hand=stock)
    option = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0100"))
    for definition, si_value, text in values:
        part.parameter_values.create(definition=definition, si_value=si_value, text=text)
    return part


@pytest.fixture
def catalog():
    resistors = CategoryFactory(name="Chip Resistors", slug="chip-resistors")
    mlcc = CategoryFactory(name="MLCC Capacitors", slug="mlcc")
    mcus = CategoryFactory(name="Microcontrollers", slug="microcontrollers")
    ldos = CategoryFactory(name="LDO Regulators", slug="ldo")
    resistance = ParameterDefinitionFactory(category=resistors)
    tolerance = ParameterDefinitionFactory(
        category=resistors, key="tolerance", name="Tolerance", unit="%"
    )
    capacitance = ParameterDefinitionFactory(
        category=mlcc, key="capacitance", name="Capacitance", unit="F"
    )
    rated = ParameterDefinitionFactory(category=mlcc, key="voltage", name="Voltage", unit="V")
    dielectric = ParameterDefinitionFactory(
        category=mlcc, key="dielectric", name="Dielectric", unit="", kind=ParameterKind.CHOICE
    )
    output = ParameterDefinitionFactory(
        category=ldos, key="output_voltage", name="Output voltage", unit="V"
    )
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    murata = ManufacturerFactory(name="Murata", slug="murata")
    st = ManufacturerFactory(name="STMicroelectronics", slug="stmicroelectronics")
    ti = ManufacturerFactory(name="Texas Instruments", slug="texas-instruments")
    ManufacturerAlias.objects.create(manufacturer=ti, name="TI")
    ManufacturerAlias.objects.create(manufacturer=st, name="ST")
    return {
        "10k": add_part(
            "RC0603FR-0710KL",
            yageo,
            resistors,
            package="0603",
            description="10 kΩ ±1% 0603 thick film resistor",
            values=[(resistance, 1e4, "10kΩ"), (tolerance, 1.0, "1%")],
        ),
        "10k5": add_part(
            "RC0603JR-0710KL",
            yageo,
            resistors,
            package="0603",
            description="10 kΩ ±5% 0603 thick film resistor",
            values=[(resistance, 1e4, "10kΩ"), (tolerance, 5.0, "5%")],
        ),
        "1k": add_part(
            "RC0402FR-071KL",
            yageo,
            resistors,
            package="0402",
            description="1 kΩ ±1% 0402 thick film resistor",
            values=[(resistance, 1e3, "1kΩ"), (tolerance, 1.0, "1%")],
        ),
        "100n": add_part(
            "GRM155R71H104KE14D",
            murata,
            mlcc,
            package="0402",
            description="100 nF 50 V X7R 0402 MLCC",
            values=[(capacitance, 1e-7, "100nF"), (rated, 50.0, "50V"), (dielectric, None, "X7R")],
        ),
        "stm32": add_part(
            "STM32F103C8T6",
            st,
            mcus,
            package="LQFP-48",
            description="ARM Cortex-M3 MCU 64 KB flash 72 MHz",
        ),
        "stm32tr": add_part(
            "STM32F103C8T6TR",
            st,
            mcus,
            package="LQFP-48",
            description="ARM Cortex-M3 MCU 64 KB flash, tape and reel",
        ),
        "ldo": add_part(
            "TLV75533PDBVR",
            ti,
            ldos,
            package="SOT-23-5",
            description="500 mA low-dropout LDO regulator 3.3 V",
            values=[(output, 3.3, "3.3V")],
        ),
    }


def search(client, q, **params):
    return client.get("/search/", {"q": q, **params}, secure=True)


def result_mpns(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<a href="/part/[^"]+/">([^<]+)</a>', html)


@pytest.mark.parametrize(
    "spelling",
    [
        "RC0603FR-0710KL",
        "rc0603fr-0710kl",
        "RC0603FR0710KL",
        "rc0603 fr 0710kl",
        "RC0603FR.0710KL",
        "RC0603FR-0710KL-ND",
        "RC0603FR-0710KLCT-ND",
    ],
)
def test_one_exact_part_number_goes_straight_to_the_part(client, catalog, spelling):
    response = search(client, spelling)

    assert response.status_code == 302
    assert response["Location"] == "/part/yageo/RC0603FR-0710KL/"


def test_packaging_suffix_is_ignored(client, catalog):
    response = search(client, "TLV75533PDBVR/TR")

    assert response["Location"] == catalog["ldo"].get_absolute_url()


def test_partial_part_number_anywhere_in_the_mpn_lists_matches(client, catalog):
    response = search(client, "F103C8")

    assert response.status_code == 200
    assert sorted(result_mpns(response)) == ["STM32F103C8T6", "STM32F103C8T6TR"]


def test_value_query_becomes_parameter_filters_with_chips(client, catalog):
    response = search(client, "10k 0603 1%")
    html = response.content.decode()

    assert result_mpns(response) == ["RC0603FR-0710KL"]
    chips = re.sub(r"<[^>]+>", "", html)
    assert "Package: 0603" in chips
    assert "Resistance = 10kΩ" in chips
    assert 'href="/search/?q=10k+0603"' in html


def test_capacitor_value_query_matches_si_values_and_dielectric(client, catalog):
    assert result_mpns(search(client, "100nF 50V X7R 0402")) == ["GRM155R71H104KE14D"]
    assert result_mpns(search(client, "0.1uF x7r")) == ["GRM155R71H104KE14D"]


def test_category_word_and_value_find_the_regulator(client, catalog):
    assert result_mpns(search(client, "LDO 3.3V SOT-23-5")) == ["TLV75533PDBVR"]


def test_manufacturer_alias_narrows_to_that_manufacturer(client, catalog):
    assert result_mpns(search(client, "TI LDO")) == ["TLV75533PDBVR"]
    assert sorted(result_mpns(search(client, "ST F103"))) == ["STM32F103C8T6", "STM32F103C8T6TR"]


def test_keywords_search_descriptions(client, catalog):
    assert sorted(result_mpns(search(client, "thick film 0402"))) == ["RC0402FR-071KL"]


def test_results_show_facets_with_counts_and_narrow_by_them(client, catalog):
    response = search(client, "thick film resistor")
    html = response.content.decode()
    assert "Chip Resistors" in html and "YAGEO" in html

    narrowed = search(client, "thick film resistor", stock="1", mfr="yageo")
    assert len(result_mpns(narrowed)) == 3


def test_a_typo_gets_did_you_mean(client, catalog):
    response = search(client, "STM32F130C8T6")

    assert "Did you mean" in response.content.decode()
    assert "STM32F103C8T6" in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "x" * 10_000,
        "'; DROP TABLE catalog_part; --",
        ".*+?[(",
        "%_%",
        "🔌⚡️",
        "!!!---///",
        "\x00\x01",
        "10k" * 400,
        "%00",
        "<script>alert(1)</script>",
    ],
)
def test_bad_input_gives_a_normal_results_page(client, catalog, bad):
    response = search(client, bad)

    assert response.status_code in (200, 302)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_pages_are_noindex(client, catalog):
    assert 'content="noindex' in search(client, "resistor").content.decode()


def test_every_search_is_logged_with_its_result_count(client, catalog):
    search(client, "F103C8")
    search(client, "NOSUCHPART123")

    logged = dict(SearchLog.objects.values_list("query", "result_count"))
    assert logged == {"F103C8": 2, "NOSUCHPART123": 0}


def test_autocomplete_suggests_mpn_prefixes_categories_and_manufacturers(client, catalog):
    parts = client.get("/search/suggest", {"q": "stm32f1"}, secure=True).json()["parts"]
    assert [p["mpn"] for p in parts] == ["STM32F103C8T6", "STM32F103C8T6TR"]

    names = client.get("/search/suggest", {"q": "mur"}, secure=True).json()
    assert names["manufacturers"] == [{"name": "Murata", "url": "/m/murata/"}]

    regulators = client.get("/search/suggest", {"q": "ldo"}, secure=True).json()
    assert regulators["categories"][0]["name"] == "LDO Regulators"


# --- Relevance ranking -------------------------------------------------------------------


@pytest.fixture
def numbered(catalog):
    """Part numbers around "LM358": exact, prefix (short and long), contains, out of stock."""
    maker, category = catalog["ldo"].manufacturer, catalog["ldo"].category
    made = {}
    for mpn, stock in [
        ("XLM358DR", 500),
        ("LM358DR2GXX", 900),
        ("LM358DR", 0),
        ("LM358D", 10),
        ("LM358DRG4", 50),
    ]:
        made[mpn] = add_part(mpn, maker, category, description="dual op-amp", stock=stock)
    return made


def test_partial_number_ranks_prefix_before_contains_shorter_first_in_stock_first(client, numbered):
    assert result_mpns(search(client, "LM358")) == [
        "LM358D",  # starts with it, shortest
        "LM358DR",  # same length as nothing else: before the longer ones despite no stock
        "LM358DRG4",
        "LM358DR2GXX",
        "XLM358DR",  # only contains it
    ]


def test_equal_length_matches_put_in_stock_first(client, numbered, catalog):
    maker, category = catalog["ldo"].manufacturer, catalog["ldo"].category
    add_part("LM358DS", maker, category, stock=0)
    add_part("LM358DT", maker, category, stock=7)

    mpns = result_mpns(search(client, "358D"))

    assert mpns[0] == "LM358D"  # shortest
    assert mpns.index("LM358DT") < mpns.index("LM358DS")
    assert mpns.index("LM358DT") < mpns.index("LM358DR")


def test_exact_match_comes_first_when_several_makers_share_the_number(client, catalog):
    other = ManufacturerFactory(name="Other", slug="other")
    add_part("STM32F103C8T6", other, catalog["stm32"].category, stock=0)

    mpns = result_mpns(search(client, "STM32F103C8T6"))

    assert mpns == ["STM32F103C8T6", "STM32F103C8T6"]


def test_value_results_list_parts_in_stock_first_most_stock_first(client, catalog):
    services.stock_set_on_hand(part_id=catalog["10k"].pk, on_hand=0)
    services.stock_set_on_hand(part_id=catalog["10k5"].pk, on_hand=5000)

    assert result_mpns(search(client, "10k 0603")) == ["RC0603JR-0710KL", "RC0603FR-0710KL"]


def test_user_can_still_sort_search_results(client, numbered):
    assert result_mpns(search(client, "LM358", sort="mpn")) == sorted(numbered)
    assert result_mpns(search(client, "LM358", sort="-stock"))[0] == "LM358DR2GXX"


def test_big_result_sets_are_capped_and_counted_as_n_plus(client, numbered, monkeypatch):
    from catalog import search as search_module

    monkeypatch.setattr(search_module, "CANDIDATE_CAP", 3)

    html = search(client, "LM358").content.decode()
    few = search(client, "dual op-amp").content.decode()

    assert "3+ results" in html
    assert "3+ results" in few


def test_search_page_query_count_is_bounded(client, numbered, django_assert_max_num_queries):
    search(client, "dual op-amp")  # warm the vocabulary cache
    for q in ["LM358", "10k 0603 1%", "dual op-amp", "ST F103"]:
        with django_assert_max_num_queries(12):
            assert search(client, q).status_code == 200


@pytest.mark.parametrize("q", ["100NF 0402", "0.1UF X7R", "100NF"])
def test_upper_case_si_prefixes_read_as_values(client, catalog, q):
    assert result_mpns(search(client, q)) == ["GRM155R71H104KE14D"]


def test_the_vocabulary_reads_each_package_and_choice_once_not_every_part():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.search import build_vocabulary

    for number in range(5):
        PartFactory(mpn=f"RC0603-{number}", package="0603")

    with CaptureQueriesContext(connection) as queries:
        vocabulary = build_vocabulary()

    distinct = [q["sql"] for q in queries.captured_queries if "SELECT DISTINCT" in q["sql"]]
    assert len(distinct) == 2
    # One column each: an ordering column in a DISTINCT would read a row per part.
    assert all(sql.split(" FROM ")[0].count(",") == 0 for sql in distinct)
    assert "0603" in vocabulary.packages.values()
