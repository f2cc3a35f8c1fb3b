"""Price arithmetic on price-break ladders. Decimal only; totals rounded once per line.

The full-reel split lives here, beside the ladders, because the part page (catalog) and the
cart (orders) offer it by one rule; static/js/rules.js is its port for the part page's
quantity box, checked against this module by tests/orders/test_js_rules.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PackagingKind

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")

# The split tries at most this many reel counts, from the most reels down: enough for any
# line a cart takes (1,000,000 pieces on reels of 500), and bounded for the browser's port.
SPLIT_REEL_COUNTS = 2000


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def unit_price_at(ladder: Sequence, quantity: int) -> Decimal | None:
    """Unit price of the highest break whose minimum the quantity reaches (ladder ascending)."""
    price = None
    for price_break in ladder:
        if quantity >= price_break.min_quantity:
            price = price_break.unit_price
        else:
            break
    return price


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    return round_money(unit_price * quantity)


def line_vat(net: Decimal) -> Decimal:
    """VAT of one line's net total, rounded half-up to cents: the rule of orders/vat.py, here
    so catalog pages price a quantity as the cart and the invoice do."""
    return round_money(Decimal(net) * settings.SHOP_VAT_RATE)


def with_vat(amount: Decimal) -> Decimal:
    return amount * (1 + settings.SHOP_VAT_RATE)


def unit_price_text(value: Decimal) -> str:
    """A unit price with at least 2 and at most 6 decimals: 0.012000 -> 0.012, 1.5 -> 1.50."""
    text = f"{Decimal(value):.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def money_text(value: Decimal) -> str:
    return f"{round_money(Decimal(value)):,.2f}"


def line_price_text(ladder: Sequence, quantity: int) -> str:
    """ "150 × 0.0061 = CNY 0.92 (1.04 incl. VAT)": a quantity priced as one cart line, or ""
    below the ladder. The part page's quantity box says it, and its script recomputes it."""
    price = unit_price_at(ladder, quantity)
    if price is None:
        return ""
    net = line_total(price, quantity)
    return _(
        "%(quantity)s × %(price)s = %(currency)s %(net)s (%(gross)s incl. VAT)"
    ) % {
        "quantity": f"{quantity:,}",
        "price": unit_price_text(price),
        "currency": settings.SHOP_CURRENCY,
        "net": money_text(net),
        "gross": money_text(net + line_vat(net)),
    }


def main_ladder(ladders: Sequence) -> tuple:
    """The option and ladder a 1-piece buyer sees (the part page's quantity box prices it):
    cut tape, else the first packaging that is not a full reel, else the full reel."""
    ordered = sorted(ladders, key=lambda item: (item[0].kind == PackagingKind.REEL, item[0].kind))
    for option, ladder in ordered:
        if option.kind != PackagingKind.REEL and ladder:
            return option, ladder
    return ordered[0] if ordered else (None, [])


# --- what a packaging sells ---------------------------------------------------------------------


def _is_reel(option) -> bool:
    return option is not None and option.kind == PackagingKind.REEL and bool(option.reel_quantity)


def quantity_step(part, option) -> int:
    """The step quantities go up by on a packaging: the order multiple, whole reels on a reel."""
    multiple = part.order_multiple or 1
    return math.lcm(multiple, option.reel_quantity) if _is_reel(option) else multiple


def sells(part, option, ladder: Sequence, quantity: int) -> bool:
    """Whether ``quantity`` is a line the packaging sells: MOQ, order multiple, whole reels
    on a reel, and priced by its ladder (orders.cart.services.check_quantity says why not)."""
    return (
        quantity >= part.moq
        and quantity % quantity_step(part, option) == 0
        and unit_price_at(ladder, quantity) is not None
    )


# --- full reels and the rest ------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """A line bought as whole reels plus the rest on the main packaging (cut tape)."""

    reel: object  # the full-reel PackagingOption
    reels: int
    reel_unit_price: Decimal
    rest: object  # the main PackagingOption the remainder stays on
    remainder: int
    remainder_unit_price: Decimal | None
    cost: Decimal
    saving: Decimal

    @property
    def reel_quantity(self) -> int:
        """Pieces on reels: reels × pieces per reel."""
        return self.reels * self.reel.reel_quantity

    @property
    def reel_total(self) -> Decimal:
        return line_total(self.reel_unit_price, self.reel_quantity)

    @property
    def remainder_total(self) -> Decimal:
        if not self.remainder:
            return Decimal("0.00")
        return line_total(self.remainder_unit_price, self.remainder)

    @property
    def label(self) -> str:
        return ngettext(
            "%(reels)s full reel + %(rest)s %(kind)s",
            "%(reels)s full reels + %(rest)s %(kind)s",
            self.reels,
        ) % {
            "reels": f"{self.reels:,}",
            "rest": f"{self.remainder:,}",
            "kind": self.rest.get_kind_display().lower(),
        }

    @property
    def text(self) -> str:
        return _("%(label)s: save %(currency)s %(saving)s") % {
            "label": self.label,
            "currency": settings.SHOP_CURRENCY,
            "saving": money_text(self.saving),
        }


def cheapest_split(part, ladders: Sequence, quantity: int) -> Split | None:
    """The cheapest way to buy ``quantity`` as whole reels plus the rest on the main ladder,
    if it costs less than all of it on the main ladder; else None.

    ``ladders`` are the part's (packaging option, ascending ladder) pairs, as
    catalog.selectors.price_ladders gives them. Each of the two lines is rounded to cents on
    its own, as the cart does. A reel line must be one the reel sells, and a remainder must be
    none or one the main packaging sells (at least the MOQ, a whole order multiple, priced):
    a split leaving a few pieces that cannot be ordered is not offered.
    """
    rest, rest_ladder = main_ladder(ladders)
    if rest is None or _is_reel(rest):
        return None
    reel, reel_ladder = next(((o, lad) for o, lad in ladders if _is_reel(o) and lad), (None, []))
    if reel is None:
        return None
    now_unit = unit_price_at(rest_ladder, quantity)
    if now_unit is None:
        return None
    now_cost = line_total(now_unit, quantity)
    most = quantity // reel.reel_quantity
    best = None
    for reels in range(most, max(0, most - SPLIT_REEL_COUNTS), -1):
        on_reels = reels * reel.reel_quantity
        remainder = quantity - on_reels
        if not sells(part, reel, reel_ladder, on_reels):
            continue
        if remainder and not sells(part, rest, rest_ladder, remainder):
            continue
        reel_unit = unit_price_at(reel_ladder, on_reels)
        rest_unit = unit_price_at(rest_ladder, remainder) if remainder else None
        cost = line_total(reel_unit, on_reels) + (
            line_total(rest_unit, remainder) if remainder else Decimal("0.00")
        )
        if cost < now_cost and (best is None or cost < best.cost):
            best = Split(
                reel=reel,
                reels=reels,
                reel_unit_price=reel_unit,
                rest=rest,
                remainder=remainder,
                remainder_unit_price=rest_unit,
                cost=cost,
                saving=now_cost - cost,
            )
    return best
