"""The one VAT rule of the store: VAT is computed per line, as on a Chinese VAT invoice.

Each line's net amount (unit price × quantity, rounded half-up to cents once, less its share
of any discount) gets its own VAT, rounded half-up to cents; shipping is a line of its own.
The VAT of a cart, an order, its PDF, the admin and the API is the sum of those line
amounts, so every document agrees to the cent with the invoice the customer receives. The
sum can differ by a few cents from the rate applied to the subtotal: see docs/vat.md.
"""

from decimal import Decimal

from django.conf import settings

from catalog.pricing import round_money

RULE_TEXT = "VAT is computed per line, as on your VAT invoice."


def vat_rate() -> Decimal:
    return settings.SHOP_VAT_RATE


def vat_of(net: Decimal, rate: Decimal | None = None) -> Decimal:
    """VAT on one line's net amount, rounded half-up to cents."""
    return round_money(Decimal(net) * (vat_rate() if rate is None else rate))
