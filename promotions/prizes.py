"""Giving a prize won in a lucky draw or on a leaderboard: a coupon or points, at once."""

from __future__ import annotations

from dataclasses import dataclass

from customers import services as customer_services

from .draw_models import PrizeKind
from .errors import CouponIssueError, PrizeNotGiven
from .models import Coupon
from .services import coupon_issue


@dataclass(frozen=True)
class Given:
    coupon: Coupon | None = None
    points: int = 0


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
    raise PrizeNotGiven(f"Prizes of kind {prize.kind!r} cannot be given.")
