"""Pure price rules of a cart line beyond its own price: the next price break worth
reaching. The full-reel split is catalog.pricing.cheapest_split, shared with the part page."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.pricing import (
    line_total,
    money_text,
    quantity_step,
    unit_price_at,
    unit_price_text,
)

# A next break is shown when buying up to it costs at most this much more in total.
BREAK_HINT_TOLERANCE = Decimal("0.10")


@dataclass(frozen=True)
class BreakHint:
    """Buying up to the next price break: how many more pieces, at what, and the difference."""

    add: int
    quantity: int
    unit_price: Decimal
    total: Decimal
    difference: Decimal  # the total at the break less the line's total now

    @property
    def text(self) -> str:
        values = {
            "add": f"{self.add:,}",
            "price": unit_price_text(self.unit_price),
            "currency": settings.SHOP_CURRENCY,
            "difference": money_text(abs(self.difference)),
        }
        if self.difference < 0:
            text = _(
                "Add %(add)s more for %(price)s each, %(currency)s %(difference)s less in total"
            )
        elif self.difference == 0:
            text = _("Add %(add)s more for %(price)s each, the same in total")
        else:
            text = _(
                "Add %(add)s more for %(price)s each, %(currency)s %(difference)s more in total"
            )
        return text % values


def next_break_hint(
    *, part, option, ladder: Sequence, quantity: int, maximum: int
) -> BreakHint | None:
    """The next break with a lower unit price, at the first quantity the packaging sells from
    it, when that line costs at most ``BREAK_HINT_TOLERANCE`` more than this one (or less)."""
    now_unit = unit_price_at(ladder, quantity)
    if now_unit is None:
        return None
    following = next(
        (pb for pb in ladder if pb.min_quantity > quantity and pb.unit_price < now_unit), None
    )
    if following is None:
        return None
    step = quantity_step(part, option)
    target = max(math.ceil(following.min_quantity / step) * step, part.moq)
    if target > maximum:
        return None
    unit = unit_price_at(ladder, target)
    now_total, total = line_total(now_unit, quantity), line_total(unit, target)
    if total > now_total * (1 + BREAK_HINT_TOLERANCE):
        return None
    return BreakHint(
        add=target - quantity,
        quantity=target,
        unit_price=unit,
        total=total,
        difference=total - now_total,
    )
