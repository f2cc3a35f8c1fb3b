"""Spend-threshold gifts: "a paid order over X in the period gets gift Y" while Y lasts.

The cart shows how far the customer is from each running promotion (``threshold_hints``);
at placement the order's gifts are entitled (one per promotion, keyed by the order) and
attached to it with the customer's other gifts that ship with the next order
(``gifts_for_new_order``). Cancelling the order releases them (``gifts.gifts_order_cancelled``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from . import gifts
from .errors import GiftOutOfStock
from .models_gifts import GiftEntitlement, GiftSource, ThresholdGift


@dataclass(frozen=True)
class ThresholdHint:
    promotion: ThresholdGift
    missing: Decimal

    @property
    def reached(self) -> bool:
        return self.missing <= 0


def running_thresholds(at=None):
    at = at or timezone.now()
    return (
        ThresholdGift.objects.filter(
            is_active=True,
            starts_at__lte=at,
            ends_at__gt=at,
            gift__is_active=True,
            gift__stock__gt=0,
        )
        .select_related("gift")
        .order_by("minimum_spend", "pk")
    )


def threshold_hints(*, subtotal: Decimal, at=None) -> list[ThresholdHint]:
    """For each running promotion whose gift is in stock: how much more the parts subtotal
    needs (0 or less: this order gets the gift)."""
    subtotal = Decimal(subtotal or 0)
    return [
        ThresholdHint(promotion=p, missing=max(p.minimum_spend - subtotal, Decimal("0.00")))
        for p in running_thresholds(at)
    ]


def gifts_for_new_order(
    *, customer, order_reference: str, subtotal: Decimal, at=None
) -> list[GiftEntitlement]:
    """Entitle the threshold gifts a new order reached (skipping any that just ran out) and
    attach them, with the customer's pending gifts that ship with the next order, to it."""
    for hint in threshold_hints(subtotal=subtotal, at=at):
        if not hint.reached:
            continue
        try:
            gifts.gift_entitle(
                customer=customer,
                gift=hint.promotion.gift,
                source=GiftSource.THRESHOLD,
                source_key=f"order:{order_reference}:{hint.promotion.pk}",
            )
        except GiftOutOfStock:
            continue
    return gifts.gifts_attach_to_order(customer=customer, order_reference=order_reference)
