"""The points shop: points and stock debited together, once per form token; refusals
change nothing."""

import pytest
from django.urls import reverse

from customers.models import CustomerProfile, Notification, NotificationKind, PointsEntry
from promotions.models import Coupon, Gift, GiftEntitlement, PointsShopItem, PointsShopRedemption
from promotions.points_shop import PointsShopError, shop_redeem
from tests.promotions.factories import PASSWORD
from tests.promotions.gift_factories import (
    CouponItemFactory,
    GiftFactory,
    GiftItemFactory,
    give_points,
)

pytestmark = pytest.mark.django_db


def _points(user) -> int:
    return CustomerProfile.objects.get(user=user).points


def test_redeeming_a_coupon_debits_points_and_stock_and_issues_the_coupon(customer):
    give_points(customer, 1200)
    item = CouponItemFactory(points_cost=500, stock=3)

    redemption = shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")

    assert _points(customer) == 700
    assert PointsShopItem.objects.get(pk=item.pk).stock == 2
    assert redemption.coupon.user == customer
    assert redemption.coupon.definition == item.coupon_definition


def test_redeeming_a_gift_takes_the_gift_stock_and_entitles_the_customer(customer):
    give_points(customer, 1000)
    item = GiftItemFactory(points_cost=800, gift=GiftFactory(stock=2))

    redemption = shop_redeem(
        customer=customer, item_id=item.pk, idempotency_key="t-1", ship_alone=True
    )

    assert _points(customer) == 200
    assert Gift.objects.get(pk=item.gift_id).stock == 1
    assert redemption.entitlement.ship_alone is True
    assert redemption.entitlement.source == "points_shop"


def test_a_double_click_redeems_once(customer):
    give_points(customer, 2000)
    item = CouponItemFactory(points_cost=500, stock=5)

    first = shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")
    second = shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")

    assert second.pk == first.pk
    assert _points(customer) == 1500
    assert Coupon.objects.filter(user=customer).count() == 1
    assert PointsShopItem.objects.get(pk=item.pk).stock == 4


def test_not_enough_points_is_refused_and_nothing_is_debited(customer):
    give_points(customer, 300)
    item = GiftItemFactory(points_cost=800, gift=GiftFactory(stock=2))

    with pytest.raises(PointsShopError, match="costs 800 points and you have 300"):
        shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")

    assert _points(customer) == 300
    assert Gift.objects.get(pk=item.gift_id).stock == 2
    assert not GiftEntitlement.objects.exists()
    assert not PointsShopRedemption.objects.exists()


def test_an_out_of_stock_gift_is_refused_and_no_points_are_taken(customer):
    give_points(customer, 1000)
    item = GiftItemFactory(name="Tweezers", points_cost=800, gift=GiftFactory(stock=0))

    with pytest.raises(PointsShopError, match="Tweezers.*out of stock"):
        shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")

    assert _points(customer) == 1000
    assert PointsEntry.objects.filter(user=customer).count() == 1


def test_a_sold_out_coupon_item_is_refused(customer):
    give_points(customer, 1000)
    item = CouponItemFactory(stock=0)

    with pytest.raises(PointsShopError) as refused:
        shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")

    assert refused.value.code == "out_of_stock"
    assert _points(customer) == 1000
    assert not Coupon.objects.exists()


def test_a_coupon_that_cannot_be_issued_takes_no_points_and_no_stock(customer):
    give_points(customer, 1000)
    item = CouponItemFactory(points_cost=500, stock=3)
    item.coupon_definition.is_active = False
    item.coupon_definition.save()

    with pytest.raises(PointsShopError, match="No points were taken"):
        shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")

    assert _points(customer) == 1000
    assert PointsShopItem.objects.get(pk=item.pk).stock == 3


def test_the_same_token_for_another_item_is_refused(customer):
    give_points(customer, 2000)
    first, other = CouponItemFactory(), CouponItemFactory()
    shop_redeem(customer=customer, item_id=first.pk, idempotency_key="t-1")

    with pytest.raises(PointsShopError) as refused:
        shop_redeem(customer=customer, item_id=other.pk, idempotency_key="t-1")

    assert refused.value.code == "conflict"
    assert _points(customer) == 1500


def test_a_missing_token_is_refused(customer):
    give_points(customer, 2000)
    item = CouponItemFactory()

    with pytest.raises(PointsShopError):
        shop_redeem(customer=customer, item_id=item.pk, idempotency_key="  ")
    assert _points(customer) == 2000


def test_the_customer_is_told_about_the_redemption_once(customer):
    give_points(customer, 2000)
    item = CouponItemFactory(name="20 CNY off")

    shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")
    shop_redeem(customer=customer, item_id=item.pk, idempotency_key="t-1")

    message = Notification.objects.get(customer=customer)
    assert message.kind == NotificationKind.POINTS_SHOP_REDEEMED
    assert "20 CNY off" in message.subject


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, customer):
    client.login(email=customer.email, password=PASSWORD)
    return client


def test_the_shop_page_shows_the_balance_and_the_items(signed_in, customer):
    give_points(customer, 1234)
    CouponItemFactory(name="Ten off")
    GiftItemFactory(name="Sample book")

    page = signed_in.get(reverse("promotions:points-shop"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "1234 points" in text and "Ten off" in text and "Sample book" in text


def test_redeeming_on_the_page_debits_points_and_says_what_happened(signed_in, customer):
    give_points(customer, 1000)
    item = GiftItemFactory(name="Sample book", points_cost=800)
    url = reverse("promotions:points-shop-redeem", args=[item.pk])

    page = signed_in.post(url, {"token": "abc", "ship": "with_order"}, follow=True)
    signed_in.post(url, {"token": "abc", "ship": "with_order"}, follow=True)

    assert "ships free with your next order" in page.content.decode()
    assert _points(customer) == 200


def test_the_page_explains_a_refusal_for_lack_of_points(signed_in, customer):
    give_points(customer, 100)
    item = CouponItemFactory(name="Ten off", points_cost=500)

    page = signed_in.post(
        reverse("promotions:points-shop-redeem", args=[item.pk]), {"token": "abc"}, follow=True
    )

    assert "costs 500 points and you have 100" in page.content.decode()
    assert _points(customer) == 100


def test_an_unknown_ship_choice_is_refused(signed_in, customer):
    give_points(customer, 1000)
    item = GiftItemFactory(points_cost=800)

    page = signed_in.post(
        reverse("promotions:points-shop-redeem", args=[item.pk]),
        {"token": "abc", "ship": "drone"},
        follow=True,
    )

    assert "Choose how the gift ships" in page.content.decode()
    assert _points(customer) == 1000


def test_an_item_no_longer_on_sale_is_not_found(signed_in, customer):
    item = CouponItemFactory(is_active=False)

    answer = signed_in.post(
        reverse("promotions:points-shop-redeem", args=[item.pk]), {"token": "abc"}
    )

    assert answer.status_code == 404
