"""Categories and parameters in two languages, and search that reads Chinese words."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from catalog import chinese, search
from catalog.demo_names import demo_names_apply
from catalog.models import Category, ManufacturerAlias, ParameterDefinition, ParameterKind
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


def add_part(mpn, maker, category, *, package, description, values):
    part = PartFactory(
        mpn=mpn, manufacturer=maker, category=category, package=package, description=description
    )
    StockFactory(part=part, on_hand=500)
    option = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0100"))
    for definition, si_value, text in values:
        part.parameter_values.create(definition=definition, si_value=si_value, text=text)
    return part


@pytest.fixture
def catalog():
    passives = CategoryFactory(name="Passive components", slug="passives", name_zh="无源器件")
    capacitors = CategoryFactory(
        name="Capacitors", slug="capacitors", parent=passives, name_zh="电容"
    )
    mlcc = CategoryFactory(
        name="Ceramic capacitors (MLCC)", slug="mlcc", parent=capacitors,
        name_zh="多层陶瓷电容 (MLCC)",
    )  # fmt: skip
    resistors = CategoryFactory(name="Resistors", slug="resistors", parent=passives, name_zh="电阻")
    chip = CategoryFactory(
        name="Chip resistors", slug="chip-resistors", parent=resistors, name_zh="贴片电阻"
    )
    resistance = ParameterDefinitionFactory(category=chip, name_zh="阻值", is_key=True)
    capacitance = ParameterDefinitionFactory(
        category=mlcc, key="capacitance", name="Capacitance", unit="F", name_zh="容值",
        is_key=True,
    )  # fmt: skip
    voltage = ParameterDefinitionFactory(
        category=mlcc, key="voltage", name="Rated voltage", unit="V", name_zh="额定电压",
        search_match="at_least",
    )  # fmt: skip
    ParameterDefinitionFactory(
        category=mlcc, key="dielectric", name="Dielectric", unit="", kind=ParameterKind.CHOICE
    )
    murata = ManufacturerFactory(name="Murata", slug="murata")
    fenghua = ManufacturerFactory(name="Fenghua", slug="fenghua")
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    ManufacturerAlias.objects.create(manufacturer=murata, name="村田")
    ManufacturerAlias.objects.create(manufacturer=fenghua, name="风华")
    return {
        "murata-100n": add_part(
            "GRM188R71H104KA93D", murata, mlcc, package="0603",
            description="100 nF ±10% 50 V X7R 0603 MLCC",
            values=[(capacitance, 1e-7, "100nF"), (voltage, 50.0, "50V")],
        ),
        "fenghua-100n": add_part(
            "0603B104K500NT", fenghua, mlcc, package="0603",
            description="100 nF ±10% 50 V X7R 0603 MLCC",
            values=[(capacitance, 1e-7, "100nF"), (voltage, 50.0, "50V")],
        ),
        "fenghua-10u": add_part(
            "0805X106K250NT", fenghua, mlcc, package="0805",
            description="10 µF ±10% 25 V X5R 0805 MLCC",
            values=[(capacitance, 1e-5, "10µF"), (voltage, 25.0, "25V")],
        ),
        "murata-10u-16v": add_part(
            "GRM21BR61C106KE15L", murata, mlcc, package="0805",
            description="10 µF ±10% 16 V X5R 0805 MLCC",
            values=[(capacitance, 1e-5, "10µF"), (voltage, 16.0, "16V")],
        ),
        "10k-0603": add_part(
            "RC0603FR-0710KL", yageo, chip, package="0603",
            description="10 kΩ ±1% 0603 thick film chip resistor",
            values=[(resistance, 1e4, "10kΩ")],
        ),
        "10k-0402": add_part(
            "RC0402FR-0710KL", yageo, chip, package="0402",
            description="10 kΩ ±1% 0402 thick film chip resistor",
            values=[(resistance, 1e4, "10kΩ")],
        ),
    }  # fmt: skip


def mpns(outcome) -> set[str]:
    return set(outcome.parts.values_list("mpn", flat=True)) if outcome.parts is not None else set()


# --- names in the page's language ---------------------------------------------------------


def test_display_name_is_chinese_only_on_chinese_pages_with_a_chinese_name():
    category = Category(name="Capacitors", name_zh="电容")
    unnamed = ParameterDefinition(name="Dielectric")
    with translation.override("en"):
        assert category.display_name == "Capacitors"
    with translation.override("zh-hans"):
        assert category.display_name == "电容"
        assert unnamed.display_name == "Dielectric"


def test_staff_set_a_categorys_chinese_name_in_the_admin(admin_client):
    category = CategoryFactory(name="Crystals", slug="crystals")
    url = reverse("admin:catalog_category_change", args=[category.pk])
    form = admin_client.get(url)
    assert 'name="name_zh"' in form.content.decode()
    response = admin_client.post(
        url,
        {
            "name": "Crystals",
            "name_zh": "晶振",
            "slug": "crystals",
            "description": "",
            "position": 0,
            "parameters-TOTAL_FORMS": 0,
            "parameters-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    category.refresh_from_db()
    assert category.name_zh == "晶振"
    listing = admin_client.get(reverse("admin:catalog_category_changelist"), {"q": "晶振"})
    assert "晶振" in listing.content.decode()


# --- cutting Chinese queries into words ---------------------------------------------------


@pytest.mark.parametrize(
    "query, cut",
    [
        ("贴片电阻10k 0603", "贴片电阻 10k 0603"),
        ("村田电容", "村田 电容"),
        ("风华0603 100nF", "风华 0603 100nF"),
        ("贴片电容，0805", "贴片 电容 0805"),
        ("10k 0603", "10k 0603"),
        ("钽电容", "钽 电容"),
    ],
)
def test_chinese_queries_are_cut_into_known_words(query, cut):
    assert chinese.segment(query, {"贴片电阻", "贴片", "电容", "村田", "风华"}) == cut


# --- search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("贴片电容 0805 10uF", {"fenghua-10u", "murata-10u-16v"}),
        ("贴片电阻10k 0603", {"10k-0603"}),
        ("贴片电阻 10k", {"10k-0603", "10k-0402"}),
        ("电容 25V", {"fenghua-10u", "fenghua-100n", "murata-100n"}),
        ("村田 电容", {"murata-100n", "murata-10u-16v"}),
        ("村田电容", {"murata-100n", "murata-10u-16v"}),
        ("风华 0603 100nF", {"fenghua-100n"}),
        ("电容器 0603", {"fenghua-100n", "murata-100n"}),
        ("电阻", {"10k-0603", "10k-0402"}),
    ],
)
def test_chinese_queries_find_the_parts_meant(catalog, query, expected):
    outcome = search.search(query)
    assert mpns(outcome) == {catalog[name].mpn for name in expected}


def test_chinese_search_page_names_categories_and_parameters_in_chinese(client, catalog):
    with translation.override("zh-hans"):
        url = reverse("catalog:search") if _has_route("catalog:search") else "/search/"
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url, {"q": "电容 25V"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    chips = _chips(response.content.decode())
    assert any("额定电压 ≥ 25V" in chip for chip in chips), chips
    assert any("电容" in chip for chip in chips), chips
    assert "多层陶瓷电容 (MLCC)" in response.content.decode()  # the category facet


def test_english_search_page_keeps_english_names(client, catalog):
    response = client.get("/search/", {"q": "capacitor 25V"}, HTTP_ACCEPT_LANGUAGE="en")
    chips = _chips(response.content.decode())
    assert any("Rated voltage ≥ 25V" in chip for chip in chips), chips


def test_a_chinese_query_that_matches_nothing_says_so(client, catalog):
    response = client.get("/search/", {"q": "钽电容 闪存芯片"})
    assert response.status_code == 200
    assert "No parts match" in response.content.decode() or "没有" in response.content.decode()


@pytest.mark.parametrize("query", ["贴片", "，，，", "电容" * 120, "\u4e00\x00电阻"])
def test_odd_chinese_queries_never_fail(client, catalog, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_suggestions_offer_chinese_category_names(client, catalog):
    with translation.override("zh-hans"):
        found = search.suggestions("贴片电")
    assert "贴片电阻" in [c["name"] for c in found["categories"]]


# --- pages --------------------------------------------------------------------------------


def _has_route(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _chips(html: str) -> list[str]:
    block = re.search(r'<ul class="chips query-chips".*?</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(0), re.S) if block else []


def _chinese_get(client, path):
    client.cookies["django_language"] = "zh-hans"
    return client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)


def test_part_page_shows_parameter_names_and_category_in_chinese(client, catalog):
    part = catalog["fenghua-100n"]
    english = client.get(part.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rated voltage" in english
    with translation.override("zh-hans"):
        path = part.get_absolute_url()
    html = _chinese_get(client, path).content.decode()
    specs = re.search(r'<table class="specs">.*?</table>', html, re.S).group(0)
    assert "额定电压" in specs and "容值" in specs and "多层陶瓷电容 (MLCC)" in specs
    assert "Rated voltage" not in specs
    assert "电容" in re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)


def test_category_page_shows_chinese_names(client, catalog):
    with translation.override("zh-hans"):
        path = "/c/passives/capacitors/mlcc/"
    html = _chinese_get(client, path).content.decode()
    assert "<h1>多层陶瓷电容 (MLCC)</h1>" in html
    assert "容值" in html  # the key column and its filter


# --- demo names ---------------------------------------------------------------------------


def test_demo_names_apply_names_the_demo_taxonomy_and_adds_fenghua_once():
    from catalog.demo import demo_categories, demo_manufacturers

    demo_categories()
    demo_manufacturers()
    first = demo_names_apply()
    again = demo_names_apply()
    assert first["categories"] > 20 and first["parts"] > 0
    assert again == {"categories": 0, "parameters": 0, "manufacturers": 0, "parts": 0}
    assert not Category.objects.filter(name_zh="").exists()
    assert not ParameterDefinition.objects.filter(name_zh="").exists()
    assert Category.objects.get(path="passives/capacitors/mlcc").name_zh == "多层陶瓷电容 (MLCC)"
    outcome = search.search("风华 0603 100nF")
    assert "0603B104K500NT" in mpns(outcome)


def test_category_page_shows_the_chinese_description(client):
    from tests.factories import CategoryFactory

    category = CategoryFactory(
        name="Chip Resistors",
        description="Thick film SMD resistors.",
        description_zh="厚膜贴片电阻。",
    )
    english = client.get(f"/c/{category.path}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = _chinese_get(client, f"/c/{category.path}/").content.decode()

    assert '<p class="lead">Thick film SMD resistors.</p>' in english
    assert '<p class="lead">厚膜贴片电阻。</p>' in chinese
