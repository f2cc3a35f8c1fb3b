"""One coupon, many simultaneous checkouts, on real PostgreSQL connections."""

from decimal import Decimal

import pytest

from promotions.errors import CouponAlreadyUsed
from promotions.models import CouponRedemption, CouponState
from promotions.services import CouponQuote, coupon_redeem, coupon_release
from tests.concurrency.parallel import run_in_parallel
from tests.promotions.factories import issued, line

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def redeem_on(coupon, order_reference):
    return coupon_redeem(
        coupon_id=coupon.pk,
        user=coupon.user,
        order_reference=order_reference,
        lines=[line("100.00")],
        is_first_order=False,
    )


def test_ten_parallel_checkouts_use_one_coupon_exactly_once():
    coupon = issued()

    results = run_in_parallel(lambda i: redeem_on(coupon, f"SO-{i}"), 10)

    wins = [r for r in results if isinstance(r, CouponQuote)]
    refused = [r for r in results if isinstance(r, CouponAlreadyUsed)]
    assert (len(wins), len(refused)) == (1, 9), results
    coupon.refresh_from_db()
    assert coupon.state == CouponState.USED
    assert CouponRedemption.objects.filter(coupon=coupon, released_at__isnull=True).count() == 1


def test_a_double_submit_of_one_order_gets_the_same_quote_twice():
    coupon = issued()

    results = run_in_parallel(lambda i: redeem_on(coupon, "SO-DOUBLE-CLICK"), 5)

    assert all(r == results[0] for r in results), results
    assert results[0].discount == Decimal("20.00")
    assert CouponRedemption.objects.filter(coupon=coupon).count() == 1


def test_parallel_cancel_and_checkout_leave_the_coupon_consistent():
    coupon = issued()
    redeem_on(coupon, "SO-CANCELLED")

    def worker(i):
        if i % 2 == 0:
            return coupon_release(coupon_id=coupon.pk, order_reference="SO-CANCELLED")
        return redeem_on(coupon, f"SO-NEW-{i}")

    run_in_parallel(worker, 6)

    coupon.refresh_from_db()
    active = CouponRedemption.objects.filter(coupon=coupon, released_at__isnull=True)
    if coupon.state == CouponState.USED:
        assert list(active.values_list("order_reference", flat=True)) == [coupon.order_reference]
    else:
        assert coupon.state == CouponState.AVAILABLE and not active.exists()
