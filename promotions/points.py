"""How many points an order earns, from the base rate (customers' ``PointsRule``) and the
rules in ``promotions.models_points``. Orders pass what each line was paid; customers'
``points_earn_for_order`` credits the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from customers import selectors as customer_selectors
from customers.models import (
    Notification,
    NotificationKind,
    PointsEntry,
    PointsEntryKind,
    PointsRule,
)
from customers.notifications import notify

from .models_points import (
    PointsCampaign,
    PointsFirstOrderBonus,
    PointsMultiplier,
    PointsMultiplierScope,
)
from .points_selectors import points_balance

ONE = Decimal("1")


@dataclass(frozen=True)
class PaidLine:
    """What one order line was paid (after coupon and points, incl. VAT)."""

    category_path: str
    manufacturer_id: int | None
    amount: Decimal


def _part_multiplier(line: PaidLine, multipliers: list[PointsMultiplier]) -> Decimal:
    best = ONE
    for rule in multipliers:
        if rule.scope == PointsMultiplierScope.CATEGORY:
            path = rule.category.path
            matches = line.category_path == path or line.category_path.startswith(path + "/")
        else:
            matches = line.manufacturer_id == rule.manufacturer_id
        if matches and (best == ONE or rule.multiplier > best):
            best = rule.multiplier
    return best


def campaign_multiplier(at=None) -> Decimal:
    at = at or timezone.now()
    best = (
        PointsCampaign.objects.filter(is_active=True, starts_at__lte=at, ends_at__gt=at)
        .order_by("-multiplier")
        .values_list("multiplier", flat=True)
        .first()
    )
    return best or ONE


def first_order_bonus() -> int:
    return (
        PointsFirstOrderBonus.objects.filter(is_active=True)
        .order_by("-points")
        .values_list("points", flat=True)
        .first()
        or 0
    )


def order_points(
    *, lines: list[PaidLine], other_amount: Decimal, is_first_order: bool, at=None
) -> int:
    """Points for an order paid at ``at``: each line's paid amount × rate × its best part
    multiplier, plus ``other_amount`` (shipping) × rate, all × the campaign multiplier,
    rounded down once; plus the first-order bonus."""
    rate = PointsRule.current().points_per_unit
    multipliers = list(
        PointsMultiplier.objects.filter(is_active=True).select_related("category")
    )
    raw = Decimal(other_amount) * rate
    for line in lines:
        raw += Decimal(line.amount) * rate * _part_multiplier(line, multipliers)
    raw *= campaign_multiplier(at)
    points = int(max(raw, Decimal(0)).to_integral_value(ROUND_DOWN))
    if is_first_order:
        points += first_order_bonus()
    return points


def points_expiring_remind(*, now=None, days: int | None = None) -> int:
    """Beat job: tell each customer, once per earned batch, that its unspent points expire
    within ``days`` (``POINTS_EXPIRY_REMINDER_DAYS``). Returns the messages written now."""
    now = now or timezone.now()
    days = settings.POINTS_EXPIRY_REMINDER_DAYS if days is None else days
    horizon = now + timedelta(days=days)
    user_ids = (
        PointsEntry.objects.filter(
            kind=PointsEntryKind.EARN, expires_at__gt=now, expires_at__lte=horizon
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    User = get_user_model()  # noqa: N806 - the model class
    written = 0
    for user_id in list(user_ids):
        due = [
            batch
            for batch in customer_selectors.points_expiry_schedule(user_id=user_id, now=now)
            if batch.expires_at <= horizon
        ]
        if not due:
            continue
        user = User.objects.get(pk=user_id)
        balance = points_balance(user)
        for batch in due:
            dedup_key = f"points-expiring:{batch.entry_id}"
            if Notification.objects.filter(customer=user, dedup_key=dedup_key).exists():
                continue
            with transaction.atomic():
                notify(
                    customer=user,
                    kind=NotificationKind.POINTS_EXPIRING,
                    dedup_key=dedup_key,
                    context={
                        "points": batch.points,
                        "expires_at": batch.expires_at,
                        "balance": balance,
                    },
                    link="/account/points/",
                )
            written += 1
    return written
