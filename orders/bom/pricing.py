"""How many pieces of a BOM line to order, and the cheapest way to buy them.

Needed = per board × boards × (1 + attrition), rounded up to a whole piece. Ordered = the
needed pieces raised to what the part sells (its MOQ, its order multiple, the first price
break), then bought the cheapest way: all on the main packaging (cut tape), whole reels plus
the rest (``catalog.pricing.cheapest_split``), or rounded up to whole reels when a reel costs
less than the cut tape for fewer pieces. Each way is a list of cart lines, each rounded to
cents on its own, as the cart prices them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from catalog.models import PackagingKind
from catalog.pricing import cheapest_split, line_total, main_ladder, quantity_step, unit_price_at


def needed_quantity(per_board: int, boards: int, attrition_percent: Decimal | None) -> int:
    """Pieces for ``boards`` boards with ``attrition_percent`` extra, rounded up."""
    attrition = Decimal(attrition_percent or 0) / 100
    pieces = Decimal(per_board) * boards * (1 + attrition)
    return int(pieces.to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class Purchase:
    """The cart lines that buy a BOM line: (packaging option, pieces, unit price) each.
    ``main`` marks the line on the part's main packaging (the cart keeps it with none)."""

    lines: tuple[tuple[object, int, Decimal, bool], ...]
    label: str = ""

    @property
    def quantity(self) -> int:
        return sum(pieces for _, pieces, _, _ in self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line_total(unit, pieces) for _, pieces, unit, _ in self.lines), Decimal("0"))

    @property
    def unit_price(self) -> Decimal:
        """The price of one piece on the largest line (what the BOM's price column says)."""
        return max(self.lines, key=lambda line: line[1])[2]


def _round_up(quantity: int, step: int) -> int:
    return -(-quantity // step) * step


def cheapest_purchase(part, ladders: Sequence, needed: int) -> Purchase | None:
    """The cheapest way to buy at least ``needed`` pieces of ``part``; None when unpriced."""
    option, ladder = main_ladder(ladders)
    if option is None or not ladder:
        return None
    step = quantity_step(part, option)
    quantity = _round_up(max(needed, part.moq, ladder[0].min_quantity), step)
    unit = unit_price_at(ladder, quantity)
    if unit is None:  # pragma: no cover - the quantity reaches the first break
        return None
    best = Purchase(((option, quantity, unit, True),))
    split = cheapest_split(part, ladders, quantity)
    if split is not None:
        lines = [(split.reel, split.reel_quantity, split.reel_unit_price, False)]
        if split.remainder:
            lines.append((split.rest, split.remainder, split.remainder_unit_price, True))
        best = Purchase(tuple(lines), split.label)
    for reel, reel_ladder in ladders:
        if reel is option or reel.kind != PackagingKind.REEL or not reel.reel_quantity:
            continue
        reel_step = quantity_step(part, reel)
        on_reels = _round_up(max(needed, part.moq, reel_ladder[0].min_quantity), reel_step)
        reel_unit = unit_price_at(reel_ladder, on_reels)
        if reel_unit is None:
            continue
        whole = Purchase(
            ((reel, on_reels, reel_unit, False),),
            f"{math.ceil(on_reels / reel.reel_quantity):,} full reel"
            + ("s" if on_reels > reel.reel_quantity else ""),
        )
        if whole.total < best.total:
            best = whole
    return best
