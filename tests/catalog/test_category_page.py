"""Category and manufacturer pages: parametric filters, sorting, paging, crawler signals."""

import json
import re
from decimal import Decimal

import pytest

from catalog.models import Lifecycle, ParameterKind
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


def make_resistor(
    category,
    definitions,
    *,
    mpn,
    ohms,
    text,
    tolerance="1%",
    maker=None,
    stock=100,
    price="0.0100",
    lifecycle=Lifecycle.ACTIVE,
):
    part = PartFactory(
        mpn=mpn,
        category=category,
        lifecycle=lifecycle,
        manufacturer=maker or ManufacturerFactory(name="YAGEO", slug="yageo"),
    )
    StockFactory(part=part, on_hand=stock)
    option = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal(price))
    PriceBreakFactory(packaging=option, min_quantity=1000, unit_price=Decimal(price) / 4)
    part.parameter_values.create(definition=definitions["resistance"], si_value=ohms, text=text)
    part.parameter_values.create(definition=definitions["tolerance"], text=tolerance)
    return part


@pytest.fixture
def catalog():
    root = CategoryFactory(name="Resistors", slug="resistors")
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors", parent=root)
    definitions = {
        "resistance": ParameterDefinitionFactory(category=chip, is_key=True, position=1),
        "tolerance": ParameterDefinitionFactory(
            category=chip,
            key="tolerance",
            name="Tolerance",
            unit="",
            kind=ParameterKind.CHOICE,
            is_key=True,
            position=2,
        ),
    }
    uniohm = ManufacturerFactory(name="UniOhm", slug="uniohm")
    parts = {
        "1k": make_resistor(
            chip, definitions, mpn="RC0603FR-071KL", ohms=1e3, text="1kΩ", price="0.0300"
        ),
        "10k": make_resistor(chip, definitions, mpn="RC0603FR-0710KL", ohms=1e4, text="10kΩ"),
        "22k": make_resistor(
            chip,
            definitions,
            mpn="0603WAF2202T5E",
            ohms=2.2e4,
            text="22kΩ",
            maker=uniohm,
            tolerance="5%",
            stock=0,
            price="0.0050",
        ),
        "47k": make_resistor(chip, definitions, mpn="RC0603FR-0747KL", ohms=4.7e4, text="47kΩ"),
        "100k": make_resistor(
            chip,
            definitions,
            mpn="RC0603FR-07100KL",
            ohms=1e5,
            text="100kΩ",
            lifecycle=Lifecycle.OBSOLETE,
        ),
    }
    return {"root": root, "chip": chip, "parts": parts}


def mpns(response) -> list[str]:
    return re.findall(r'<a href="/part/[^"]+/">([^<]+)</a>', response.content.decode())


def get(client, url, **headers):
    return client.get(url, secure=True, headers=headers)


def test_category_lists_its_parts_with_key_parameters_stock_and_prices(client, catalog):
    response = get(client, "/c/resistors/chip-resistors/")
    html = response.content.decode()

    assert response.status_code == 200
    assert len(mpns(response)) == 5
    for text in ("Resistance", "Tolerance", "10kΩ", "0.03", "0.0025", "1,000+"):
        assert text in html, text


def test_parent_category_lists_child_categories_and_their_parts(client, catalog):
    response = get(client, "/c/resistors/")

    assert 'href="/c/resistors/chip-resistors/"' in response.content.decode()
    assert len(mpns(response)) == 5


def test_range_filter_takes_engineering_values(client, catalog):
    response = get(client, "/c/resistors/chip-resistors/?resistance_min=10k&resistance_max=47k")

    assert sorted(mpns(response)) == ["0603WAF2202T5E", "RC0603FR-0710KL", "RC0603FR-0747KL"]


def test_range_filter_accepts_plain_numbers_and_units(client, catalog):
    response = get(client, "/c/resistors/chip-resistors/?resistance_min=22000&resistance_max=22 kΩ")

    assert mpns(response) == ["0603WAF2202T5E"]


def test_unparseable_range_value_says_so_and_shows_unfiltered_parts(client, catalog):
    response = get(client, "/c/resistors/chip-resistors/?resistance_min=ten")

    assert response.status_code == 200
    assert "“ten” is not a value" in re.sub(r"<[^>]+>", "", response.content.decode())
    assert len(mpns(response)) == 5


def test_checkbox_filters_for_enumerations_manufacturer_stock_and_lifecycle(client, catalog):
    base = "/c/resistors/chip-resistors/"

    assert mpns(get(client, base + "?tolerance=5%25")) == ["0603WAF2202T5E"]
    assert mpns(get(client, base + "?mfr=uniohm")) == ["0603WAF2202T5E"]
    assert "0603WAF2202T5E" not in mpns(get(client, base + "?stock=1"))
    assert "RC0603FR-07100KL" not in mpns(get(client, base + "?lifecycle=active"))


def test_facets_list_values_and_manufacturers_with_counts(client, catalog):
    html = get(client, "/c/resistors/chip-resistors/").content.decode()

    assert 'name="tolerance" value="1%"' in html
    assert 'name="mfr" value="uniohm"' in html


def test_sorting_by_price_and_stock(client, catalog):
    by_price = mpns(get(client, "/c/resistors/chip-resistors/?sort=price"))
    by_stock = mpns(get(client, "/c/resistors/chip-resistors/?sort=stock"))

    assert by_price[0] == "0603WAF2202T5E" and by_price[-1] == "RC0603FR-071KL"
    assert by_stock[0] == "0603WAF2202T5E"


def test_filtered_view_is_a_shareable_noindex_link_with_clean_canonical(client, catalog):
    html = get(client, "/c/resistors/chip-resistors/?mfr=uniohm").content.decode()

    assert '<meta name="robots" content="noindex' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/c/resistors/chip-resistors/">' in html
    assert 'value="uniohm" checked' in html


def test_pagination_has_canonical_page_urls_and_rel_links(client, catalog, settings):
    from catalog import listing

    listing.PAGE_SIZE, old = 2, listing.PAGE_SIZE
    try:
        html = get(client, "/c/resistors/chip-resistors/?page=2").content.decode()
    finally:
        listing.PAGE_SIZE = old

    assert 'rel="canonical" href="http://127.0.0.1:8000/c/resistors/chip-resistors/?page=2"' in html
    assert 'rel="prev" href="?page=1"' in html
    assert 'rel="next" href="?page=3"' in html
    assert "noindex" not in html


def test_category_page_carries_breadcrumb_jsonld(client, catalog):
    html = get(client, "/c/resistors/chip-resistors/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)

    crumbs = json.loads(block.group(1))
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Home",
        "Resistors",
        "Chip Resistors",
    ]


def test_category_page_answers_304_to_its_etag(client, catalog):
    first = get(client, "/c/resistors/chip-resistors/")

    second = get(client, "/c/resistors/chip-resistors/", if_none_match=first["ETag"])

    assert second.status_code == 304


def test_category_page_queries_do_not_grow_with_rows(
    client, catalog, django_assert_max_num_queries
):
    for n in range(30):
        make_resistor(
            catalog["chip"],
            {
                "resistance": catalog["chip"].parameters.get(key="resistance"),
                "tolerance": catalog["chip"].parameters.get(key="tolerance"),
            },
            mpn=f"RC0402FR-07{n}RL",
            ohms=float(n + 1),
            text=f"{n + 1}Ω",
        )

    with django_assert_max_num_queries(11):  # 6 of them build the category's listing index
        response = get(client, "/c/resistors/chip-resistors/")
    assert len(mpns(response)) == 35
    with django_assert_max_num_queries(5):
        response = get(client, "/c/resistors/chip-resistors/?resistance_min=2&sort=-price")
    assert len(mpns(response)) == 34


def test_unknown_category_is_404(client, catalog):
    assert get(client, "/c/resistors/no-such/").status_code == 404


def test_manufacturer_page_lists_its_categories_and_parts(client, catalog):
    response = get(client, "/m/uniohm/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>UniOhm</h1>" in html
    assert 'href="/c/resistors/chip-resistors/?mfr=uniohm"' in html
    assert mpns(response) == ["0603WAF2202T5E"]
    assert "BreadcrumbList" in html


def test_manufacturer_page_answers_304_to_its_etag(client, catalog):
    first = get(client, "/m/uniohm/")

    assert get(client, "/m/uniohm/", if_none_match=first["ETag"]).status_code == 304


def test_manufacturer_list_links_every_manufacturer(client, catalog):
    html = get(client, "/m/").content.decode()

    assert 'href="/m/uniohm/"' in html and 'href="/m/yageo/"' in html


def test_a_category_is_found_by_its_path_with_its_parents_in_one_query(
    django_assert_num_queries,
):
    from catalog import listing

    root = CategoryFactory(name="Passives", slug="passives")
    middle = CategoryFactory(name="Capacitors", slug="capacitors", parent=root)
    leaf = CategoryFactory(name="MLCC", slug="mlcc", parent=middle)
    listing.category_by_path("passives")  # compiled at first use

    with django_assert_num_queries(1):
        found = listing.category_by_path(f"/{leaf.path.upper()}/")
        assert (found.pk, found.parent.name, found.parent.parent.name) == (
            leaf.pk, "Capacitors", "Passives",
        )
        assert found.parent.parent.parent is None
    assert listing.category_by_path("passives/nothing-here") is None
