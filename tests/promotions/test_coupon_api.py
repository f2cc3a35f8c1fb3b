"""/api/v1/account/coupons/: own coupons only, and checking one against a cart."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from promotions.services import coupon_redeem
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory
from tests.promotions.factories import issued, line

pytestmark = pytest.mark.django_db

URL = "/api/v1/account/coupons/"


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def priced_part(*prices: str, breaks=(1, 100, 1000)):
    """A part whose cut-tape ladder has these unit prices at 1, 100, 1000 pieces."""
    part = PartFactory()
    option = PackagingOptionFactory(part=part)
    for quantity, price in zip(breaks, prices, strict=False):
        PriceBreakFactory(packaging=option, min_quantity=quantity, unit_price=Decimal(price))
    return part


def codes(response):
    return [c["code"] for c in response.json()["results"]]


def test_list_shows_only_the_callers_coupons(api, customer, other_customer):
    mine = issued(user=customer)
    issued(user=other_customer)

    assert codes(api.get(URL)) == [mine.code]


def test_list_filters_by_state(api, customer):
    used = issued(user=customer)
    available = issued(user=customer)
    coupon_redeem(
        coupon_id=used.pk,
        user=customer,
        order_reference="SO-1",
        lines=[line("100")],
        is_first_order=False,
    )

    assert codes(api.get(URL, {"state": "available"})) == [available.code]


def test_list_needs_authentication():
    assert APIClient().get(URL).status_code in (401, 403)


def test_check_returns_the_quote(api, customer):
    coupon = issued(user=customer, amount=Decimal("20.00"))
    part = priced_part("1.50")

    response = api.post(
        f"{URL}{coupon.code}/check/",
        {"lines": [{"part_id": part.pk, "quantity": 100}]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["discount"] == "20.00"


def test_check_answers_400_with_the_reason(api, customer):
    coupon = issued(user=customer, minimum_spend=Decimal("500.00"))
    part = priced_part("100.00")

    response = api.post(
        f"{URL}{coupon.code}/check/",
        {"lines": [{"part_id": part.pk, "quantity": 1}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "below_minimum_spend"
    assert "400.00 CNY more" in response.json()["detail"]


def test_check_of_another_customers_code_is_404(api, other_customer):
    theirs = issued(user=other_customer)
    part = priced_part("100.00")

    response = api.post(
        f"{URL}{theirs.code}/check/",
        {"lines": [{"part_id": part.pk, "quantity": 1}]},
        format="json",
    )

    assert response.status_code == 404


def test_schema_documents_the_coupon_endpoints(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/account/coupons/{code}/check/" in schema


def check(api, coupon, lines):
    return api.post(f"{URL}{coupon.code}/check/", {"lines": lines}, format="json")


def test_check_prices_the_lines_from_the_price_breaks_not_from_the_client(api, customer):
    coupon = issued(user=customer, percent=Decimal("10"), minimum_spend=Decimal("0"))
    part = priced_part("0.0120", "0.0095")

    response = check(api, coupon, [{"part_id": part.pk, "quantity": 200, "line_total": "1e9"}])

    assert response.status_code == 200
    assert response.json()["eligible_subtotal"] == "1.90"  # 200 x 0.0095, the cart's price


def test_check_of_a_huge_order_answers_400_not_500(api, customer):
    coupon = issued(user=customer, amount=Decimal("20.00"))
    part = priced_part("999999999.999999")

    response = check(api, coupon, [{"part_id": part.pk, "quantity": 10_000_000}] * 2)

    assert response.status_code == 400
    assert response.json()["code"] == "order_too_large"
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (999_999_999_999, "At most 10,000,000 pieces per line"),
        (0, "at least 1"),
        ("1e9", "valid integer"),
    ],
)
def test_check_refuses_absurd_quantities_with_a_clear_message(api, customer, quantity, message):
    coupon = issued(user=customer)
    part = priced_part("1.00")

    response = check(api, coupon, [{"part_id": part.pk, "quantity": quantity}])

    assert response.status_code == 400
    assert message in str(response.json())


def test_check_of_a_part_without_a_price_says_so(api, customer):
    coupon = issued(user=customer)
    part = PartFactory()

    response = check(api, coupon, [{"part_id": part.pk, "quantity": 5}])

    assert response.status_code == 400
    assert response.json()["code"] == "not_priced"
    assert part.mpn in response.json()["detail"]
