"""Reads of the checkout page: the customer's address book, wallet and defaults."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal

from django.conf import settings

from customers.models import Address, InvoiceDetails
from promotions import selectors as coupon_selectors
from promotions.models import Coupon, CouponState

from ..models import InvoiceKind, Order, PaymentMethod
from .services import CheckoutChoices, checkout_quote, shipping_methods


@dataclass
class CheckoutPage:
    """What the checkout form offers the customer to pick from."""

    addresses: list[Address] = field(default_factory=list)
    coupons: list[Coupon] = field(default_factory=list)
    invoice: InvoiceDetails | None = None


def checkout_page_data(*, customer) -> CheckoutPage:
    return CheckoutPage(
        addresses=list(Address.objects.filter(user=customer).order_by("-is_default", "pk")),
        coupons=list(
            coupon_selectors.coupons_of_in_state(customer, CouponState.AVAILABLE).select_related(
                "definition"
            )
        ),
        invoice=InvoiceDetails.objects.filter(user=customer).first(),
    )


def checkout_defaults(*, customer, cart, page: CheckoutPage) -> CheckoutChoices:
    """A returning customer's choices, so the page can be placed as it opens: the default
    address, the cheapest shipping method that serves it, the invoice kind of the last order
    (none for a first order) and bank transfer."""
    address = page.addresses[0] if page.addresses else None
    last = Order.objects.filter(customer=customer).order_by("-placed_at", "-pk").first()
    invoice_kind = last.invoice_kind if last is not None else InvoiceKind.NONE
    if invoice_kind != InvoiceKind.NONE and page.invoice is None:
        invoice_kind = InvoiceKind.NONE
    choices = CheckoutChoices(
        address_id=address.pk if address else None,
        invoice_kind=invoice_kind,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    if not shipping_methods():
        return choices
    quote = checkout_quote(customer=customer, cart=cart, choices=choices)
    served = [option for option in quote.shipping_options if option.available]
    if served:
        cheapest = min(served, key=lambda option: (option.fee, option.arrives_by))
        choices = replace(choices, shipping_method_id=cheapest.method.pk)
    return choices


@dataclass(frozen=True)
class LineRow:
    """One line as the review, the order page and the PDF show it."""

    mpn: str
    manufacturer: str
    packaging: str
    quantity: int
    unit_price: object
    line_total: object
    discount: object
    net: object
    vat: object
    gross: object
    ship_date: object
    availability: str = ""
    url: str = ""
    sku: str = ""
    description: str = ""


def review_rows(quote) -> list[LineRow]:
    return [
        LineRow(
            mpn=line.part.mpn,
            manufacturer=line.part.manufacturer.name,
            packaging=line.packaging_label,
            quantity=line.quantity,
            unit_price=line.unit_price,
            line_total=line.line_total,
            discount=line.discount,
            net=line.net,
            vat=line.vat,
            gross=line.gross,
            ship_date=quote.line_ship_date(line),
            availability=line.stock.message,
            url=line.part.get_absolute_url(),
            sku=line.part.sku or "",
        )
        for line in quote.lines
    ]


def points_money(points: int) -> Decimal:
    """What ``points`` are worth, rounded down to cents as the quote values them."""
    rate = settings.ORDERS_POINTS_PER_CURRENCY_UNIT
    return (Decimal(points) / rate).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def payment_summary(*, method: str, balance_amount: Decimal, amount_due: Decimal, currency: str):
    """How the order is paid, in words: "Bank transfer", "Account balance", or both."""
    label = PaymentMethod(method).label
    if method == PaymentMethod.BALANCE or (balance_amount and not amount_due):
        return PaymentMethod.BALANCE.label
    if balance_amount:
        return (
            f"{currency} {balance_amount} from your balance, {currency} {amount_due} by "
            f"{label.lower()}"
        )
    return label
