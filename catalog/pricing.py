"""Price arithmetic on price-break ladders. Decimal only; totals rounded once per line."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


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


def with_vat(amount: Decimal) -> Decimal:
    return amount * (1 + settings.SHOP_VAT_RATE)
