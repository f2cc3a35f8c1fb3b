"""The one VAT rule of the store: VAT is computed per line, as on a Chinese VAT invoice.

Each line's net amount (unit price × quantity, rounded half-up to cents once, less its share
of any discount) gets its own VAT, rounded half-up to cents; shipping is a line of its own.
The VAT of a cart, an order, its PDF, the admin and the API is the sum of those line
amounts, so every document agrees to the cent with the invoice the customer receives. The
sum can differ by a few cents from the rate applied to the subtotal: see docs/vat.md.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from catalog.pricing import round_money

RULE_TEXT = gettext_lazy("VAT is computed per line, as on your VAT invoice.")


def vat_rate() -> Decimal:
    return settings.SHOP_VAT_RATE


def vat_of(net: Decimal, rate: Decimal | None = None) -> Decimal:
    """VAT on one line's net amount, rounded half-up to cents."""
    return round_money(Decimal(net) * (vat_rate() if rate is None else rate))


@dataclass(frozen=True)
class ExampleLine:
    name: str
    quantity: int
    unit_price: Decimal
    packaging: str = ""

    @property
    def net(self) -> Decimal:
        return round_money(self.unit_price * self.quantity)

    @property
    def vat(self) -> Decimal:
        return vat_of(self.net)


@dataclass(frozen=True)
class WorkedExample:
    """The three-line cart of docs/vat.md, computed by the rule at the store's VAT rate."""

    lines: tuple[ExampleLine, ...]
    currency: str

    @property
    def subtotal(self) -> Decimal:
        return sum((line.net for line in self.lines), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.vat

    @property
    def vat_on_subtotal(self) -> Decimal:
        return vat_of(self.subtotal)

    @property
    def vat_percent(self) -> Decimal:
        return (vat_rate() * 100).normalize()


def worked_example() -> WorkedExample:
    return WorkedExample(
        lines=(
            ExampleLine("RC0603FR-0710KL", 150, Decimal("0.0061"), gettext("cut tape")),
            ExampleLine(
                "RC0603FR-0710KL",
                5000,
                Decimal("0.0021"),
                gettext("full reel of %(count)s") % {"count": "5,000"},
            ),
            ExampleLine("AMS1117-3.3", 30, Decimal("0.2350")),
        ),
        currency=settings.SHOP_CURRENCY,
    )
