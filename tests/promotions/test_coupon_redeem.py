"""Using a coupon on an order, and getting it back when the order is cancelled."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from promotions.errors import CouponAlreadyUsed
from promotions.models import Coupon, CouponRedemption, CouponState
from promotions.services import coupon_redeem, coupon_release
from tests.promotions.factories import issued, line

pytestmark = pytest.mark.django_db


def redeem(coupon, user, order_reference, total="100.00"):
    return coupon_redeem(
        coupon_id=coupon.pk,
        user=user,
        order_reference=order_reference,
        lines=[line(total)],
        is_first_order=False,
    )


def test_redeeming_marks_the_coupon_used_on_that_order(customer):
    coupon = issued(user=customer)

    quote = redeem(coupon, customer, "SO-1001")

    coupon.refresh_from_db()
    assert quote.discount == Decimal("20.00")
    assert (coupon.state, coupon.order_reference) == (CouponState.USED, "SO-1001")
    assert coupon.used_at is not None


def test_a_used_coupon_cannot_be_redeemed_on_another_order(customer):
    coupon = issued(user=customer)
    redeem(coupon, customer, "SO-1001")

    with pytest.raises(CouponAlreadyUsed):
        redeem(coupon, customer, "SO-1002")


def test_redeeming_again_for_the_same_order_returns_the_first_quote(customer):
    coupon = issued(user=customer)
    first = redeem(coupon, customer, "SO-1001", total="100.00")

    again = redeem(coupon, customer, "SO-1001", total="5.00")

    assert again == first
    assert CouponRedemption.objects.filter(coupon=coupon).count() == 1


def test_release_makes_the_coupon_usable_again(customer):
    coupon = issued(user=customer)
    redeem(coupon, customer, "SO-1001")

    coupon_release(coupon_id=coupon.pk, order_reference="SO-1001")

    assert redeem(coupon, customer, "SO-1002").discount == Decimal("20.00")


def test_releasing_twice_changes_nothing_the_second_time(customer):
    coupon = issued(user=customer)
    redeem(coupon, customer, "SO-1001")
    coupon_release(coupon_id=coupon.pk, order_reference="SO-1001")
    redeem(coupon, customer, "SO-1002")

    coupon_release(coupon_id=coupon.pk, order_reference="SO-1001")

    coupon.refresh_from_db()
    assert (coupon.state, coupon.order_reference) == (CouponState.USED, "SO-1002")


def test_release_after_validity_ends_leaves_the_coupon_expired(customer):
    coupon = issued(user=customer, valid_days=3)
    redeem(coupon, customer, "SO-1001")
    Coupon.objects.filter(pk=coupon.pk).update(valid_until=timezone.now() - timedelta(hours=1))

    released = coupon_release(coupon_id=coupon.pk, order_reference="SO-1001")

    assert released.state == CouponState.EXPIRED


def test_the_database_refuses_a_second_active_redemption(customer):
    coupon = issued(user=customer)
    redeem(coupon, customer, "SO-1001")

    with pytest.raises(IntegrityError):
        CouponRedemption.objects.create(
            coupon=coupon,
            user=customer,
            order_reference="SO-1002",
            discount=Decimal("20.00"),
            eligible_subtotal=Decimal("100.00"),
        )
