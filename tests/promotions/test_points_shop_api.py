"""The points shop over the API: items, redeeming with an Idempotency-Key, gifts owed,
and the balance with what expires."""

import pytest
from rest_framework.test import APIClient

from customers.models import CustomerProfile, PointsRule
from promotions.models import Gift
from tests.promotions.gift_factories import (
    CouponItemFactory,
    GiftFactory,
    GiftItemFactory,
    give_points,
)

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/account/points-shop/items/"


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def _redeem(api, item, key="k-1", **data):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(f"{ITEMS}{item.pk}/redeem/", data, format="json", **headers)


def _results(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def test_the_items_on_sale_are_listed_with_their_stock(api):
    CouponItemFactory(name="Ten off", stock=4)
    GiftItemFactory(name="Sample book", gift=GiftFactory(stock=2))
    CouponItemFactory(name="Withdrawn", is_active=False)

    rows = _results(api.get(ITEMS))

    assert {(r["name"], r["stock_left"]) for r in rows} == {("Ten off", 4), ("Sample book", 2)}


def test_redeeming_answers_201_and_the_same_key_answers_200_with_the_same_redemption(
    api, customer
):
    give_points(customer, 1000)
    item = CouponItemFactory(points_cost=400)

    first = _redeem(api, item)
    again = _redeem(api, item)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["coupon_code"]
    assert CustomerProfile.objects.get(user=customer).points == 600


def test_redeeming_without_a_key_is_refused(api, customer):
    give_points(customer, 1000)

    answer = _redeem(api, CouponItemFactory(), key=None)

    assert answer.status_code == 400
    assert CustomerProfile.objects.get(user=customer).points == 1000


def test_not_enough_points_is_a_409_and_nothing_is_debited(api, customer):
    give_points(customer, 100)
    item = GiftItemFactory(points_cost=800, gift=GiftFactory(stock=1))

    answer = _redeem(api, item, ship="alone")

    assert answer.status_code == 409
    assert "800 points" in answer.content.decode()
    assert Gift.objects.get(pk=item.gift_id).stock == 1


def test_a_gift_can_be_sent_on_its_own_and_is_listed_as_owed(api, customer):
    give_points(customer, 1000)
    item = GiftItemFactory(name="Sample book", points_cost=800, gift=GiftFactory(name="Book"))

    answer = _redeem(api, item, ship="alone")
    gifts = _results(api.get("/api/v1/account/gifts/"))

    assert answer.json()["ship_alone"] is True
    assert [(g["gift"], g["ship_alone"]) for g in gifts] == [("Book", True)]


def test_an_unknown_ship_choice_is_a_400(api, customer):
    give_points(customer, 1000)

    answer = _redeem(api, GiftItemFactory(points_cost=800), ship="drone")

    assert answer.status_code == 400
    assert CustomerProfile.objects.get(user=customer).points == 1000


def test_the_api_lists_what_expires_when(api, customer):
    rule = PointsRule.current()
    rule.expiry_months = 12
    rule.save()
    give_points(customer, 250)

    rows = api.get("/api/v1/account/points/expiring/").json()

    assert [r["points"] for r in rows] == [250]
    assert rows[0]["expires_at"]
