"""The search in the API, and the batch lookup that prices a parts list in one request."""

from decimal import Decimal

import pytest

from catalog.models import ManufacturerAlias
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts():
    category = CategoryFactory(name="MOSFETs", slug="mosfets")
    nexperia = ManufacturerFactory(name="Nexperia", slug="nexperia")
    onsemi = ManufacturerFactory(name="onsemi", slug="onsemi")
    ManufacturerAlias.objects.create(manufacturer=onsemi, name="ON Semiconductor")
    made = {}
    for key, mpn, maker, stock, moq, multiple in (
        ("nx", "BSS138,215", nexperia, 3000, 1, 1),
        ("on", "BSS138", onsemi, 0, 10, 10),
        ("on2", "BSS138LT1G", onsemi, 500, 1, 1),
    ):
        part = PartFactory(
            mpn=mpn,
            manufacturer=maker,
            category=category,
            description="N-channel 50 V 200 mA MOSFET SOT-23",
            moq=moq,
            order_multiple=multiple,
        )
        StockFactory(part=part, on_hand=stock)
        option = PackagingOptionFactory(part=part)
        for quantity, price in ((1, "0.1500"), (100, "0.0600"), (1000, "0.0310")):
            PriceBreakFactory(packaging=option, min_quantity=quantity, unit_price=Decimal(price))
        made[key] = part
    return made


def lookup(client, items):
    return client.post(
        "/api/v1/parts/lookup/", {"items": items}, content_type="application/json", secure=True
    )


def test_api_search_takes_the_same_query_as_the_store(client, parts):
    response = client.get("/api/v1/parts/", {"q": "bss138lt1"}, secure=True)

    assert response.status_code == 200
    assert [p["mpn"] for p in response.json()["results"]] == ["BSS138LT1G"]


def test_api_search_combines_query_and_filters(client, parts):
    response = client.get("/api/v1/parts/", {"q": "MOSFET", "in_stock": "true"}, secure=True)

    assert sorted(p["mpn"] for p in response.json()["results"]) == ["BSS138,215", "BSS138LT1G"]


def test_lookup_prices_each_line_at_its_quantity(client, parts):
    response = lookup(client, [{"mpn": "BSS138LT1G", "quantity": 250}])

    result = response.json()["results"][0]
    assert response.status_code == 200
    assert result["match"] == "exact"
    assert result["part"]["sku"] == parts["on2"].sku
    assert result["unit_price"] == "0.060000"
    assert result["extended_price"] == "15.00"
    assert result["stock"] == {"available": 500, "enough": True}


def test_lookup_says_how_each_line_matched(client, parts):
    PartFactory(mpn="BSS138", manufacturer=ManufacturerFactory(name="Diodes", slug="diodes"))
    results = lookup(
        client,
        [
            {"mpn": "bss138-215"},
            {"mpn": "BSS138LT1G-TR"},
            {"mpn": "BSS138", "manufacturer": "ON Semiconductor"},
            {"mpn": "BSS138"},
            {"mpn": "BSS138LT"},
            {"mpn": "NOPE1234"},
        ],
    ).json()["results"]

    assert [r["match"] for r in results] == [
        "normalized",
        "suffix_removed",
        "exact",
        "ambiguous",
        "partial",
        "none",
    ]
    assert {c["manufacturer"] for c in results[3]["candidates"]} == {"Diodes", "onsemi"}


def test_lookup_rounds_up_to_moq_and_order_multiple(client, parts):
    result = lookup(client, [{"mpn": "BSS138", "manufacturer": "onsemi", "quantity": 3}]).json()

    line = result["results"][0]
    assert line["order_quantity"] == 10
    assert line["stock"]["enough"] is False


def test_lookup_refuses_more_than_100_lines_with_a_clear_message(client, parts):
    response = lookup(client, [{"mpn": "BSS138"}] * 101)

    assert response.status_code == 400
    assert "At most 100 part numbers" in str(response.json())


@pytest.mark.parametrize(
    "items",
    [[], [{"mpn": ""}], [{"mpn": "BSS138", "quantity": 0}], [{"quantity": 5}], "nonsense"],
)
def test_lookup_rejects_malformed_lines_with_400(client, parts, items):
    assert lookup(client, items).status_code == 400


def test_lookup_needs_a_fixed_number_of_queries(client, parts, django_assert_max_num_queries):
    items = [{"mpn": p.mpn, "quantity": 10} for p in parts.values()] * 30

    with django_assert_max_num_queries(6):
        response = lookup(client, items[:90])
    assert len(response.json()["results"]) == 90
