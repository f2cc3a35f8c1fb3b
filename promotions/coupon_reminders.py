"""Telling customers a coupon of theirs is about to expire: a beat job, a few days
(PROMOTIONS_COUPON_REMINDER_DAYS) before ``valid_until``, once per coupon however often it
runs. A promotion, so a customer who turned promotions off gets none."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from customers.models import Notification, NotificationKind
from customers.notifications import notify

from .models import Coupon, CouponState

BATCH_SIZE = 500


def _dedup_key(coupon_id: int) -> str:
    return f"coupon-expiring:{coupon_id}"


def coupons_remind_expiring(*, now=None) -> int:
    """Write one message for each available coupon expiring within the reminder window
    that was not told yet. Returns how many messages were written."""
    now = now or timezone.now()
    soon = now + timedelta(days=settings.PROMOTIONS_COUPON_REMINDER_DAYS)
    coupons = list(
        Coupon.objects.filter(
            state=CouponState.AVAILABLE, valid_until__gt=now, valid_until__lte=soon
        )
        .select_related("definition", "user")
        .order_by("valid_until", "pk")[:BATCH_SIZE]
    )
    told = set(
        Notification.objects.filter(
            dedup_key__in=[_dedup_key(coupon.pk) for coupon in coupons]
        ).values_list("dedup_key", flat=True)
    )
    link = reverse("promotions:coupon-list")
    written = 0
    for coupon in coupons:
        if _dedup_key(coupon.pk) in told:
            continue
        definition = coupon.definition
        with translation.override(coupon.user.language or settings.LANGUAGE_CODE):
            benefit = definition.value_display  # in the words of the customer's language
        message = notify(
            customer=coupon.user,
            kind=NotificationKind.COUPON_EXPIRING,
            dedup_key=_dedup_key(coupon.pk),
            context={
                "coupon": coupon,
                "benefit": benefit,
                "min_order": definition.minimum_spend or None,
                "valid_until": timezone.localtime(coupon.valid_until).strftime("%Y-%m-%d %H:%M"),
                "currency": settings.SHOP_CURRENCY,
            },
            link=link,
        )
        written += message is not None
    return written
