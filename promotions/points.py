"""How many points an order earns, from the base rate (customers' ``PointsRule``) and the
rules in ``promotions.models_points``. Orders pass what each line was paid; customers'
``points_earn_for_order`` credits the result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from customers.models import PointsRule

from .models_points import (
    PointsCampaign,
    PointsFirstOrderBonus,
    PointsMultiplier,
    PointsMultiplierScope,
)

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
