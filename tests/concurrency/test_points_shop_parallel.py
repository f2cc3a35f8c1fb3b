"""The points shop under real concurrent connections (PostgreSQL)."""

import pytest
from django.db.models import Sum

from customers.models import CustomerProfile, PointsEntry
from promotions.models import Gift, GiftEntitlement, PointsShopItem, PointsShopRedemption
from promotions.points_shop import PointsShopError, shop_redeem
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory
from tests.promotions.gift_factories import (
    CouponItemFactory,
    GiftFactory,
    GiftItemFactory,
    give_points,
)

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _ledger_points(user) -> int:
    return PointsEntry.objects.filter(user=user).aggregate(s=Sum("points"))["s"] or 0


def test_the_last_gift_is_taken_once_by_twenty_parallel_redemptions():
    customer = CustomerFactory()
    give_points(customer, 10_000)
    item = GiftItemFactory(points_cost=800, gift=GiftFactory(stock=1))

    results = run_in_parallel(
        lambda i: shop_redeem(customer=customer, item_id=item.pk, idempotency_key=f"tab-{i}"),
        20,
    )

    redeemed = [r for r in results if isinstance(r, PointsShopRedemption)]
    refused = [r for r in results if isinstance(r, PointsShopError)]
    assert (len(redeemed), len(refused)) == (1, 19)
    assert {r.code for r in refused} == {"out_of_stock"}
    assert Gift.objects.get(pk=item.gift_id).stock == 0
    assert GiftEntitlement.objects.count() == 1
    assert CustomerProfile.objects.get(user=customer).points == 9_200 == _ledger_points(customer)


def test_the_last_coupon_item_is_taken_once_by_twenty_customers():
    customers = [CustomerFactory() for _ in range(20)]
    for customer in customers:
        give_points(customer, 1_000)
    item = CouponItemFactory(points_cost=500, stock=1)

    results = run_in_parallel(
        lambda i: shop_redeem(customer=customers[i], item_id=item.pk, idempotency_key="form-1"),
        20,
    )

    assert len([r for r in results if isinstance(r, PointsShopRedemption)]) == 1
    assert PointsShopItem.objects.get(pk=item.pk).stock == 0
    spent = sum(1_000 - CustomerProfile.objects.get(user=c).points for c in customers)
    assert spent == 500


def test_parallel_redemptions_never_take_the_points_below_zero():
    customer = CustomerFactory()
    give_points(customer, 2_000)
    item = CouponItemFactory(points_cost=500, stock=None)

    results = run_in_parallel(
        lambda i: shop_redeem(customer=customer, item_id=item.pk, idempotency_key=f"tab-{i}"),
        20,
    )

    redeemed = [r for r in results if isinstance(r, PointsShopRedemption)]
    refused = [r for r in results if isinstance(r, PointsShopError)]
    assert (len(redeemed), len(refused)) == (4, 16)
    assert {r.code for r in refused} == {"insufficient_points"}
    assert CustomerProfile.objects.get(user=customer).points == 0 == _ledger_points(customer)


def test_a_double_click_in_parallel_redeems_once():
    customer = CustomerFactory()
    give_points(customer, 5_000)
    item = CouponItemFactory(points_cost=500, stock=10)

    results = run_in_parallel(
        lambda i: shop_redeem(customer=customer, item_id=item.pk, idempotency_key="same-form"),
        8,
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.pk for r in results}) == 1
    assert CustomerProfile.objects.get(user=customer).points == 4_500
    assert PointsShopItem.objects.get(pk=item.pk).stock == 9
