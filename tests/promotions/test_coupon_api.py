"""/api/v1/account/coupons/: own coupons only, and checking one against a cart."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from promotions.services import coupon_redeem
from tests.factories import PartFactory
from tests.promotions.factories import issued, line

pytestmark = pytest.mark.django_db

URL = "/api/v1/account/coupons/"


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


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
    part = PartFactory()

    response = api.post(
        f"{URL}{coupon.code}/check/",
        {"lines": [{"part_id": part.pk, "quantity": 100, "line_total": "150.00"}]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["discount"] == "20.00"


def test_check_answers_400_with_the_reason(api, customer):
    coupon = issued(user=customer, minimum_spend=Decimal("500.00"))
    part = PartFactory()

    response = api.post(
        f"{URL}{coupon.code}/check/",
        {"lines": [{"part_id": part.pk, "quantity": 1, "line_total": "100.00"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "below_minimum_spend"
    assert "400.00 CNY more" in response.json()["detail"]


def test_check_of_another_customers_code_is_404(api, other_customer):
    theirs = issued(user=other_customer)
    part = PartFactory()

    response = api.post(
        f"{URL}{theirs.code}/check/",
        {"lines": [{"part_id": part.pk, "quantity": 1, "line_total": "100.00"}]},
        format="json",
    )

    assert response.status_code == 404


def test_schema_documents_the_coupon_endpoints(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/account/coupons/{code}/check/" in schema
