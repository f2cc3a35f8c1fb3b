"""A few days before a coupon expires its customer is told once, in the inbox and by email;
a customer who turned promotions off is not told."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from customers.models import Notification, NotificationKind
from promotions.coupon_reminders import coupons_remind_expiring
from promotions.models import CouponState
from tests.customers.factories import CustomerFactory
from tests.promotions.factories import issued

pytestmark = pytest.mark.django_db


def coupon_expiring_in(days, **fields):
    coupon = issued(user=CustomerFactory(), **fields)
    coupon.valid_until = timezone.now() + timedelta(days=days)
    coupon.save()
    return coupon


def test_a_coupon_expiring_soon_is_told_once_however_often_the_job_runs(
    django_capture_on_commit_callbacks,
):
    coupon = coupon_expiring_in(2, kind="fixed", amount=Decimal("20.00"))

    with django_capture_on_commit_callbacks(execute=True):
        assert coupons_remind_expiring() == 1
        assert coupons_remind_expiring() == 0

    told = Notification.objects.get(kind=NotificationKind.COUPON_EXPIRING)
    assert told.customer == coupon.user and told.link == "/account/coupons/"
    assert told.subject.startswith(f"Your coupon {coupon.code} expires on ")
    assert "20.00 CNY off" in told.body_text
    assert [m.subject for m in mail.outbox] == [told.subject]


def test_a_coupon_far_from_expiry_is_not_told_yet():
    coupon_expiring_in(10)

    assert coupons_remind_expiring() == 0
    assert not Notification.objects.exists()


def test_a_used_or_expired_coupon_is_not_told():
    expired = coupon_expiring_in(1)
    expired.state = CouponState.EXPIRED
    expired.save()
    coupon_expiring_in(-1)

    assert coupons_remind_expiring() == 0


def test_a_customer_who_turned_promotions_off_is_not_told():
    coupon = coupon_expiring_in(1)
    coupon.user.profile.marketing_messages = False
    coupon.user.profile.save()

    assert coupons_remind_expiring() == 0
    assert not Notification.objects.exists()
