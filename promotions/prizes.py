"""Giving a prize won in a lucky draw or on a leaderboard: a coupon or points in the
account at once, or a gift that rides with the next order or ships on its own."""

from __future__ import annotations

from dataclasses import dataclass

from customers import services as customer_services

from .draw_models import PrizeKind
from .errors import CouponIssueError, GiftError, GiftOutOfStock, PrizeNotGiven
from .gifts import gift_entitle
from .models import Coupon
from .models_gifts import GiftEntitlement
from .services import coupon_issue


@dataclass(frozen=True)
class Given:
    coupon: Coupon | None = None
    points: int = 0
    gift: GiftEntitlement | None = None


def prize_give(*, customer, prize, source: str, source_key: str) -> Given:
    """Give ``prize`` (a DrawPrize or LeaderboardPrize) to ``customer`` in the caller's
    transaction; the caller makes it happen once per ``source_key``."""
    if prize.kind == PrizeKind.COUPON:
        try:
            coupon = coupon_issue(definition=prize.coupon_definition, user=customer)
        except CouponIssueError as exc:
            raise PrizeNotGiven(str(exc)) from exc
        return Given(coupon=coupon)
    if prize.kind == PrizeKind.POINTS:
        customer_services.points_award(
            user=customer,
            points=prize.points,
            idempotency_key=f"{source}:{source_key}",
            reference_type=source,
            reference_id=source_key,
            note=prize.name,
        )
        return Given(points=prize.points)
    if prize.kind == PrizeKind.GIFT:
        try:
            entitlement = gift_entitle(
                customer=customer,
                gift=prize.gift,
                source=source,
                source_key=source_key,
                ship_alone=prize.gift_ships_alone,
            )
        except (GiftOutOfStock, GiftError) as exc:
            raise PrizeNotGiven(str(exc)) from exc
        return Given(gift=entitlement)
    raise PrizeNotGiven(f"Prizes of kind {prize.kind!r} cannot be given.")
