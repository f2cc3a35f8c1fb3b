"""Input that looks valid to ``str.isdigit`` but is not a number the store reads ('²',
Arabic-Indic digits '١٢'): every page and API answers it with a clear message or ignores it,
never with a 500, and writes nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from orders.models import Cart, CartLine, Inquiry
from orders.quantities import HINT
from tests.customers.factories import CustomerFactory
from tests.factories import (
    CategoryFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import fill_cart

pytestmark = pytest.mark.django_db

DIGIT_LOOKALIKES = ["²", "١٢", "٣", "¹⁰", "①", "߁"]


@pytest.fixture
def part():
    part = PartFactory(
        mpn="RC0603FR-0710KL", category=CategoryFactory(slug="chip-resistors"), moq=10
    )
    StockFactory(part=part, on_hand=5000)
    PriceBreakFactory(
        packaging=PackagingOptionFactory(part=part), min_quantity=10, unit_price=Decimal("0.012")
    )
    return part


@pytest.fixture
def customer(db):
    return CustomerFactory(email="buyer@example.com")


@pytest.fixture
def signed_in(customer):
    client = Client()
    client.force_login(customer)
    return client


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def rows() -> tuple[int, int, int]:
    return Cart.objects.count(), CartLine.objects.count(), Inquiry.objects.count()


# --- the quote request form --------------------------------------------------------------------


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_a_quote_request_for_a_lookalike_part_id_opens_an_empty_form(client, part, value):
    before = rows()

    response = client.get("/quote/", {"part": value})

    assert response.status_code == 200
    assert part.mpn not in response.content.decode()
    assert rows() == before


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_a_lookalike_quantity_on_the_quote_link_falls_back_to_the_moq(client, part, value):
    response = client.get("/quote/", {"part": part.pk, "qty": value})

    assert response.status_code == 200
    assert part.mpn in response.content.decode()
    assert 'value="10"' in response.content.decode()


# --- the cart pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_adding_a_lookalike_part_id_is_not_found_and_opens_no_cart(client, part, value):
    client.get("/cart/")
    before = rows()

    response = client.post("/cart/add/", {"part": value, "quantity": "100"})

    assert response.status_code == 404
    assert rows() == before


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_adding_with_a_lookalike_packaging_id_adds_on_the_main_packaging(client, part, value):
    response = client.post("/cart/add/", {"part": part.pk, "packaging": value, "quantity": "100"})

    assert response.status_code == 302
    line = CartLine.objects.get()
    assert (line.quantity, line.packaging_id) == (100, None)


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_adding_a_lookalike_quantity_says_how_to_write_it(client, part, value):
    response = client.post("/cart/add/", {"part": part.pk, "quantity": value})

    assert response.status_code == 400
    assert str(HINT) in response.content.decode()
    assert CartLine.objects.count() == 0


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_a_lookalike_quantity_in_the_cart_keeps_the_line_and_says_why(
    signed_in, customer, part, value
):
    line = fill_cart(customer, (part, 100)).lines.get()

    response = signed_in.post(f"/cart/lines/{line.pk}/quantity/", {"quantity": value}, follow=True)

    assert response.status_code == 200
    assert str(HINT) in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 100


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_a_lookalike_packaging_in_the_cart_keeps_the_line(signed_in, customer, part, value):
    line = fill_cart(customer, (part, 100)).lines.get()

    response = signed_in.post(f"/cart/lines/{line.pk}/packaging/", {"packaging": value})

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 100


# --- page numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
@pytest.mark.parametrize(
    "url", ["/account/orders/", "/account/balance/", "/account/points/", "/account/quotes/"]
)
def test_a_lookalike_page_number_of_an_account_list_shows_the_first_page(signed_in, url, value):
    response = signed_in.get(url, {"page": value})

    assert response.status_code == 200


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
@pytest.mark.parametrize("url", ["/search/", "/c/chip-resistors/", "/m/"])
def test_a_lookalike_page_number_of_a_catalog_page_is_no_error(client, part, url, value):
    response = client.get(url, {"page": value, "q": "RC0603"})

    assert response.status_code < 500


# --- the API -----------------------------------------------------------------------------------

API_LISTS = [
    "/api/v1/orders/",
    "/api/v1/parts/",
    "/api/v1/prices/",
    "/api/v1/stock/",
    "/api/v1/account/balance/entries/",
    "/api/v1/account/points/entries/",
    "/api/v1/account/top-ups/",
    "/api/v1/account/coupons/",
]


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
@pytest.mark.parametrize("parameter", ["page", "page_size", "cursor", "limit", "offset"])
@pytest.mark.parametrize("url", API_LISTS)
def test_a_lookalike_page_or_page_size_is_refused_or_ignored(api, part, url, parameter, value):
    response = api.get(url, {parameter: value})

    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 400:
        assert parameter in response.json()["error"]["message"]


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_the_api_refuses_a_lookalike_part_or_quantity_on_its_field(api, part, value):
    by_part = api.post("/api/v1/cart/lines/", {"part": value, "quantity": 100}, format="json")
    by_quantity = api.post(
        "/api/v1/cart/lines/", {"part": part.pk, "quantity": value}, format="json"
    )
    by_packaging = api.post(
        "/api/v1/cart/lines/",
        {"part": part.pk, "quantity": 100, "packaging": value},
        format="json",
    )

    assert by_part.status_code == 400 and "part" in by_part.json()["error"]["fields"]
    assert by_quantity.status_code == 400 and "quantity" in by_quantity.json()["error"]["fields"]
    assert by_packaging.status_code == 400
    assert CartLine.objects.count() == 0


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_the_api_refuses_a_lookalike_quantity_for_a_cart_line(api, customer, part, value):
    line = fill_cart(customer, (part, 100)).lines.get()

    response = api.patch(f"/api/v1/cart/lines/{line.pk}/", {"quantity": value}, format="json")

    assert response.status_code == 400
    line.refresh_from_db()
    assert line.quantity == 100


@pytest.mark.parametrize("value", DIGIT_LOOKALIKES)
def test_the_api_refuses_lookalike_checkout_ids_on_their_fields(api, customer, part, value):
    fill_cart(customer, (part, 100))

    response = api.post(
        "/api/v1/checkout/quote/",
        {"address_id": value, "shipping_method_id": value, "payment_method": "bank_transfer"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"address_id", "shipping_method_id"}


@pytest.mark.parametrize("value", ["²", "①", "¹⁰", "½"])
def test_a_lookalike_top_up_amount_is_refused(api, value):
    preview = api.get("/api/v1/account/top-up-preview/", {"amount": value})
    created = api.post("/api/v1/account/top-ups/", {"amount": value}, format="json")

    assert preview.status_code == 400
    assert created.status_code == 400
