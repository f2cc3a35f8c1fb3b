"""The BOM API: a file or JSON lines in, the priced BOM out, its matched lines to the cart."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from orders.cart.selectors import open_cart
from orders.cart.services import CartOwner, cart_price
from tests.orders import bom_helpers

pytestmark = pytest.mark.django_db
bom_catalog = bom_helpers.bom_catalog


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def test_json_lines_are_matched_and_priced(api, bom_catalog):
    response = api.post(
        "/api/v1/bom/",
        {
            "name": "Controller",
            "build_quantity": 10,
            "attrition_percent": "5",
            "lines": [
                {"mpn": "RC0603FR-0710KL", "manufacturer": "YAGEO", "quantity": "3"},
                {"value": "100nF", "footprint": "0402", "quantity": 1},
                {"mpn": "NOPE-123", "quantity": "1"},
                {"mpn": "LM358DR", "quantity": "ten"},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["matched"], body["to_check"], body["not_found"]) == (1, 1, 1)
    resistor = body["lines"][0]
    assert (
        resistor["match"],
        resistor["part"]["sku"],
        resistor["needed"],
        resistor["ordered"],
    ) == (
        "exact",
        bom_catalog["10k"].sku,
        32,
        40,
    )
    assert (resistor["unit_price"], resistor["extended_price"]) == ("0.012000", "0.48")
    assert body["lines"][1]["match"] == "to_check"
    assert body["problems"][0]["row"] == 4
    assert body["total"] == "0.48" and body["currency"]


def test_a_file_is_read_as_the_page_reads_it(api, bom_catalog):
    data = b"Mfr. #,Manufacturer,Order Qty.\nLM358DR,TI,1000\n"

    response = api.post(
        "/api/v1/bom/", {"file": SimpleUploadedFile("mouser.csv", data)}, format="multipart"
    )

    assert response.status_code == 201
    line = response.json()["lines"][0]
    assert line["part"]["manufacturer"] == "Texas Instruments"
    assert line["stock"]["message"] == "800 ship today · 200 ship in 7 days"


def test_a_refused_file_answers_in_the_apis_error_format(api):
    response = api.post(
        "/api/v1/bom/", {"file": SimpleUploadedFile("bom.csv", b"")}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": ["The file is empty."]}


def test_a_file_or_lines_is_required(api):
    response = api.post("/api/v1/bom/", {"name": "x"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_matched_lines_go_to_the_cart_for_the_boms_total(api, bom_catalog, customer):
    created = api.post(
        "/api/v1/bom/",
        {"lines": [{"mpn": "RC0603FR-0710KL", "quantity": "10997"}, {"mpn": "GD32F103C8T6"}]},
        format="json",
    ).json()

    response = api.post(f"/api/v1/bom/{created['id']}/cart/")

    assert response.status_code == 200
    assert response.json()["added_lines"] == 2
    cart = cart_price(cart=open_cart(owner=CartOwner(customer=customer)))
    assert Decimal(response.json()["total"]) == cart.subtotal == Decimal(created["total"])


def test_another_customers_bom_is_not_found(api, bom_catalog, other_customer):
    rival = APIClient()
    rival.force_authenticate(other_customer)
    created = api.post("/api/v1/bom/", {"lines": [{"mpn": "GD32F103C8T6"}]}, format="json").json()

    assert rival.get(f"/api/v1/bom/{created['id']}/").status_code == 404
    assert rival.post(f"/api/v1/bom/{created['id']}/cart/").status_code == 404
    assert api.get(f"/api/v1/bom/{created['id']}/").json()["lines"][0]["ordered"] == 1
    listed = api.get("/api/v1/bom/").json()
    assert [bom["id"] for bom in listed["results"]] == [created["id"]]


def test_the_bom_api_needs_a_sign_in(db):
    assert APIClient().get("/api/v1/bom/").status_code == 401
