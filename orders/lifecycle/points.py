"""The points a paid order earns: what each line was paid, handed to the promotions'
earning rules (part multipliers, campaign, first-order bonus)."""

from __future__ import annotations

from decimal import Decimal

from promotions import points as promotion_points

from ..models import Order
from ..status import PAID_STATES

ZERO = Decimal("0.00")


def order_points(order: Order) -> int:
    """Points paid money earns: points spent on the order earn nothing, so every line and
    the shipping earn on their share of the money paid. Gift lines are free and earn none."""
    lines = [
        line
        for line in order.lines.select_related("part__category").order_by("position")
        if not line.is_gift
    ]
    paid = order.total - order.points_amount
    ratio = paid / order.total if order.total > 0 else Decimal(0)
    goods = sum((line.gross for line in lines), ZERO)
    paid_lines = [
        promotion_points.PaidLine(
            category_path=line.part.category.path if line.part else "",
            manufacturer_id=line.part.manufacturer_id if line.part else None,
            amount=line.gross * ratio,
        )
        for line in lines
    ]
    is_first = (
        not Order.objects.filter(customer_id=order.customer_id, status__in=PAID_STATES)
        .exclude(pk=order.pk)
        .exists()
    )
    return promotion_points.order_points(
        lines=paid_lines,
        other_amount=max(order.total - goods, ZERO) * ratio,
        is_first_order=is_first,
        at=order.paid_at,
    )
