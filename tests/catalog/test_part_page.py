"""The part page: what engineers read and what crawlers index."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from catalog import selectors
from catalog.models import (
    CATEGORY_TREE_CACHE_KEY,
    AlternateKind,
    Category,
    Lifecycle,
    ManufacturerAlias,
    PartAlternate,
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


@pytest.fixture
def resistor():
    root = CategoryFactory(name="Resistors", slug="resistors")
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors", parent=root)
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=yageo,
        category=chip,
        package="0603",
        description="10 kΩ ±1% 100 mW 0603 thick film chip resistor",
        msl="1",
        datasheet_url="https://www.yageo.example/RC0603.pdf",
        rohs="compliant",
    )
    StockFactory(part=part, on_hand=42000, reserved=2000)
    option = PackagingOptionFactory(part=part)
    for quantity, price in ((1, "0.0120"), (100, "0.0061"), (1000, "0.0042")):
        PriceBreakFactory(packaging=option, min_quantity=quantity, unit_price=Decimal(price))
    definition = ParameterDefinitionFactory(category=chip)
    part.parameter_values.create(definition=definition, si_value=10000.0, text="10kΩ")
    return part


def get(client, url, **headers):
    return client.get(url, secure=True, headers=headers)


def jsonld_blocks(html: str) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


def test_canonical_url_names_manufacturer_and_mpn(resistor):
    assert resistor.get_absolute_url() == "/part/yageo/RC0603FR-0710KL/"


def test_mpn_with_url_special_characters_gets_a_readable_url(resistor):
    part = PartFactory(mpn="BSS138,215", manufacturer=resistor.manufacturer)
    other = PartFactory(mpn="LM1117/3.3 #+", manufacturer=resistor.manufacturer)

    assert part.get_absolute_url() == "/part/yageo/BSS138-215/"
    assert other.get_absolute_url() == "/part/yageo/LM1117-3.3/"


def test_part_page_shows_what_an_engineer_needs(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()

    for text in (
        "RC0603FR-0710KL",
        "YAGEO",
        resistor.sku,
        "10 kΩ ±1% 100 mW",
        "Datasheet",
        "40,000</strong> in stock",
        "ships today",
        "10kΩ",
        "Resistance",
        "MSL 1",
        "RoHS compliant",
        "0.012",
        "0.0061",
        "0.0042",
        "incl. VAT",
    ):
        assert text in html, text


def test_part_page_has_unique_title_description_and_canonical_link(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()

    assert "<title>RC0603FR-0710KL YAGEO | Chip Resistors | Partline</title>" in html
    assert '<meta name="description" content="RC0603FR-0710KL by YAGEO.' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/part/yageo/RC0603FR-0710KL/">' in html
    assert '<meta property="og:title" content="RC0603FR-0710KL YAGEO">' in html


def test_product_jsonld_carries_brand_mpn_sku_and_price_tiers(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()
    product = next(b for b in jsonld_blocks(html) if b["@type"] == "Product")

    assert product["mpn"] == "RC0603FR-0710KL"
    assert product["sku"] == resistor.sku
    assert product["brand"] == {"@type": "Brand", "name": "YAGEO"}
    assert product["category"] == "Resistors > Chip Resistors"
    assert product["description"].startswith("10 kΩ")
    offer = product["offers"]
    assert offer["price"] == "0.012" and Decimal(offer["price"]) > 0
    assert offer["priceCurrency"] == "CNY"
    assert offer["availability"] == "https://schema.org/InStock"
    tiers = [
        (tier["eligibleQuantity"]["minValue"], tier["price"])
        for tier in offer["priceSpecification"]
    ]
    assert tiers == [(1, "0.012"), (100, "0.0061"), (1000, "0.0042")]
    assert all(t["@type"] == "UnitPriceSpecification" for t in offer["priceSpecification"])


def test_breadcrumb_jsonld_follows_the_category_tree(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()
    crumbs = next(b for b in jsonld_blocks(html) if b["@type"] == "BreadcrumbList")

    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names == ["Home", "Resistors", "Chip Resistors", "RC0603FR-0710KL"]
    assert crumbs["itemListElement"][2]["item"].endswith("/c/resistors/chip-resistors/")


def test_out_of_stock_part_with_supplier_stock_is_a_back_order(client, resistor):
    resistor.stock.on_hand = resistor.stock.reserved = 0
    resistor.stock.save()

    html = get(client, resistor.get_absolute_url()).content.decode()
    product = next(b for b in jsonld_blocks(html) if b["@type"] == "Product")

    assert product["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert "Not in our warehouse" in html


@pytest.mark.parametrize(
    "spelling",
    [
        "/part/yageo/rc0603fr-0710kl/",
        "/part/yageo/RC0603FR0710KL/",
        "/part/YAGEO/RC0603FR-0710KL/",
        "/part/yageo/RC0603FR-0710KL",
    ],
)
def test_other_spellings_answer_301_to_the_canonical_url(client, resistor, spelling):
    response = get(client, spelling)

    assert response.status_code == 301
    assert response["Location"] == "/part/yageo/RC0603FR-0710KL/"


def test_sku_url_answers_301_to_the_canonical_url(client, resistor):
    response = get(client, f"/p/{resistor.sku.lower()}/")

    assert response.status_code == 301
    assert response["Location"] == resistor.get_absolute_url()


def test_manufacturer_alias_in_the_url_answers_301(client, resistor):
    ManufacturerAlias.objects.create(manufacturer=resistor.manufacturer, name="Yageo Corp")

    response = get(client, "/part/yageo-corp/RC0603FR-0710KL/")

    assert response.status_code == 301
    assert response["Location"] == resistor.get_absolute_url()


def test_conditional_get_with_the_etag_answers_304(client, resistor):
    first = get(client, resistor.get_absolute_url())

    second = get(client, resistor.get_absolute_url(), if_none_match=first["ETag"])

    assert second.status_code == 304
    assert second.content == b""


def test_conditional_get_with_last_modified_answers_304(client, resistor):
    first = get(client, resistor.get_absolute_url())

    second = get(client, resistor.get_absolute_url(), if_modified_since=first["Last-Modified"])

    assert second.status_code == 304


def test_a_visible_change_gives_a_new_etag_and_a_full_page(client, resistor):
    first = get(client, resistor.get_absolute_url())
    resistor.page_changed_at = timezone.now() + timedelta(seconds=5)
    resistor.description = "Updated description"
    resistor.save()

    second = get(client, resistor.get_absolute_url(), if_none_match=first["ETag"])

    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert "Updated description" in second.content.decode()


def test_stale_if_modified_since_gets_the_page(client, resistor):
    old = http_date((timezone.now() - timedelta(days=3)).timestamp())

    response = get(client, resistor.get_absolute_url(), if_modified_since=old)

    assert response.status_code == 200


def test_part_page_needs_at_most_six_queries(client, resistor, django_assert_max_num_queries):
    PartAlternate.objects.create(
        part=resistor, alternate=PartFactory(category=resistor.category), kind="drop_in"
    )
    selectors.category_tree()  # the site-wide category tree, loaded once for every page

    with django_assert_max_num_queries(6):
        response = get(client, resistor.get_absolute_url())
    assert response.status_code == 200


def test_the_category_tree_is_loaded_once_for_all_part_pages(client, resistor):
    other = PartFactory(mpn="RC0603FR-0747KL", category=resistor.category)
    get(client, resistor.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = get(client, other.get_absolute_url())

    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if 'FROM "catalog_category"' in q["sql"]]


def test_the_category_tree_is_held_by_the_process_while_its_token_stands(resistor):
    tree = selectors.category_tree()

    assert selectors.category_tree() is tree


def test_a_renamed_category_shows_in_the_next_part_page(client, resistor):
    get(client, resistor.get_absolute_url())
    parent = resistor.category.parent
    parent.name = "Fixed Resistors"
    parent.save()
    other = PartFactory(mpn="RC0603FR-0747KL", category=resistor.category)

    html = get(client, other.get_absolute_url()).content.decode()

    crumbs = next(b for b in jsonld_blocks(html) if b["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]][1] == "Fixed Resistors"


def test_a_tree_shared_by_another_process_replaces_the_one_held(resistor):
    held = selectors.category_tree()
    cache.delete(CATEGORY_TREE_CACHE_KEY)  # a category changed, saved by another process
    Category.objects.filter(pk=resistor.category.parent_id).update(name="Fixed Resistors")

    tree = selectors.category_tree()

    assert tree is not held
    assert tree[resistor.category.parent_id].name == "Fixed Resistors"


def test_repeat_views_are_served_from_cache_without_a_query(
    client, resistor, django_assert_num_queries
):
    get(client, resistor.get_absolute_url())

    with django_assert_num_queries(0):
        response = get(client, resistor.get_absolute_url())
    assert "RC0603FR-0710KL" in response.content.decode()


def test_discontinued_part_keeps_its_page_says_so_and_links_alternates(client, resistor):
    resistor.lifecycle = Lifecycle.OBSOLETE
    resistor.save()
    newer = PartFactory(mpn="RC0603FR-0710KL-NEW", category=resistor.category)
    PartAlternate.objects.create(part=resistor, alternate=newer, kind=AlternateKind.DROP_IN)

    response = get(client, resistor.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "This part is obsolete" in html
    assert f'href="{newer.get_absolute_url()}"' in html
    assert "Drop-in replacement" in html


def test_unknown_part_number_is_404_with_close_part_numbers(client, resistor):
    response = get(client, "/part/yageo/RC0603FR-07/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "RC0603FR-0710KL" in html
    assert '<meta name="robots" content="noindex' in html


def test_json_view_is_linked_and_carries_prices_and_parameters(client, resistor):
    html = get(client, resistor.get_absolute_url()).content.decode()
    assert 'rel="alternate" type="application/json"' in html

    response = get(client, "/part/yageo/RC0603FR-0710KL.json")
    data = response.json()

    assert data["mpn"] == "RC0603FR-0710KL"
    assert data["stock"]["available"] == 40000
    assert data["prices"][0]["breaks"][0] == {"min_quantity": 1, "unit_price": "0.012000"}
    assert data["parameters"][0]["si_value"] == 10000.0


def test_markdown_view_reads_as_a_document(client, resistor):
    response = get(client, "/part/yageo/RC0603FR-0710KL.md")

    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert text.startswith("# RC0603FR-0710KL — YAGEO")
    assert "| Resistance | 10kΩ |" in text
    assert "| 100+ | 0.0061 |" in text


def test_markdown_view_answers_304_to_its_etag(client, resistor):
    first = get(client, "/part/yageo/RC0603FR-0710KL.md")

    second = get(client, "/part/yageo/RC0603FR-0710KL.md", if_none_match=first["ETag"])

    assert second.status_code == 304


def test_a_part_never_stocked_has_a_page_that_says_so(client):
    part = PartFactory(mpn="NE555P", category__slug="timers")

    response = get(client, part.get_absolute_url())

    assert response.status_code == 200
    assert "Not in our warehouse" in response.content.decode()
