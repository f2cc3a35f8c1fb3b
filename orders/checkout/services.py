"""Checkout: price a cart with the customer's choices, and place the order.

``checkout_quote`` computes every amount the review page shows from the cart's real lines
and today's ladders and stock — never from amounts a client sends — and signs what it
showed into ``quote.token``. ``order_place`` recomputes the quote inside one transaction,
refuses to charge anything the customer did not see (``QuoteChanged`` lists the changes),
reserves stock with locks in primary-key order, redeems the coupon, debits points and
balance through their own services, and writes the order with a copy of every line.

Amounts follow the one VAT rule of ``orders/vat.py``: VAT per line, on each line's net
after its share of the coupon discount; shipping is a line of its own.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import services as catalog_services
from catalog.errors import InsufficientStock
from customers import behaviour
from customers import services as customer_services
from customers.models import (
    Address,
    BalanceEntryKind,
    CustomerProfile,
    EventKind,
    InvoiceDetails,
)
from promotions import selectors as coupon_selectors
from promotions import services as coupon_services
from promotions.errors import CouponNotApplicable
from promotions.models import Coupon
from promotions.services import CouponLine

from ..cart.services import PricedCart, PricedLine, StockCover, cart_price
from ..errors import (
    CartNotOrderable,
    EmptyCart,
    IdempotencyConflict,
    OutOfStock,
    QuoteChanged,
)
from ..fulfilment import vas
from ..lifecycle import services as lifecycle
from ..locks import open_cart_for_update
from ..models import (
    Cart,
    InvoiceKind,
    Order,
    OrderEventKind,
    OrderLine,
    OrderLineSupply,
    OrderService,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ShippingMethod,
)
from ..references import new_reference
from ..rfq import services as rfq_services
from ..vat import vat_of, vat_rate
from .gifts import gift_lines_add

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_IDEMPOTENCY_KEY = 255
QUOTE_SALT = "orders.checkout.quote"
TEXT_LIMITS = {"po_number": 64, "note": 2000}


# --- what the customer chose --------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutChoices:
    """What the customer chose on the checkout page (or in the API's body)."""

    address_id: int | None = None
    shipping_method_id: int | None = None
    ship_partial: bool = False
    invoice_kind: str = InvoiceKind.NONE
    po_number: str = ""
    note: str = ""
    coupon_code: str = ""
    points: int = 0
    balance_amount: Decimal = ZERO
    payment_method: str = PaymentMethod.BANK_TRANSFER
    # Value-added services: (service id, cart line id or None for the order, part number).
    services: tuple[tuple[int, int | None, str], ...] = ()

    def digest(self) -> str:
        data = {
            "a": self.address_id,
            "s": self.shipping_method_id,
            "p": self.ship_partial,
            "i": self.invoice_kind,
            "po": self.po_number,
            "n": self.note,
            "c": self.coupon_code,
            "pt": self.points,
            "b": str(self.balance_amount),
            "m": self.payment_method,
        }
        if self.services:
            data["vs"] = [list(item) for item in self.services]
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _has_control_characters(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\n\r\t" or ord(ch) == 127 for ch in text)


def clean_choices(choices: CheckoutChoices) -> CheckoutChoices:
    """Trim free text and refuse what no one types: control characters, over-long text,
    unknown invoice kinds or payment methods, negative amounts."""
    errors: dict[str, str] = {}
    texts = {}
    for name, limit in TEXT_LIMITS.items():
        value = (getattr(choices, name) or "").strip()
        if _has_control_characters(value):
            errors[name] = _("Remove the control characters from this text.")
        elif len(value) > limit:
            errors[name] = _("Keep this under %(limit)s characters.") % {"limit": f"{limit:,}"}
        texts[name] = value
    if choices.invoice_kind not in InvoiceKind.values:
        errors["invoice_kind"] = _("Choose no invoice, an ordinary or a VAT special invoice.")
    if choices.payment_method not in PaymentMethod.values:
        errors["payment_method"] = _("Choose how to pay: balance, bank transfer or online.")
    if not isinstance(choices.points, int) or choices.points < 0:
        errors["points"] = _("Enter the points to redeem as a whole number, 0 or more.")
    try:
        balance = Decimal(str(choices.balance_amount or "0"))
        if not balance.is_finite() or balance < 0 or balance != balance.quantize(CENT):
            raise ValueError
    except (ArithmeticError, ValueError):
        errors["balance_amount"] = _("Enter the balance to use as an amount, e.g. 120.50.")
        balance = ZERO
    try:
        services = vas.clean_service_choices(choices.services)
    except ValueError as error:
        errors["services"] = str(error)
        services = ()
    if errors:
        raise ValidationError(errors)
    return CheckoutChoices(
        address_id=choices.address_id,
        shipping_method_id=choices.shipping_method_id,
        ship_partial=bool(choices.ship_partial),
        invoice_kind=choices.invoice_kind,
        po_number=texts["po_number"],
        note=texts["note"],
        coupon_code=coupon_services.coupon_code_normalize(choices.coupon_code or ""),
        points=choices.points,
        balance_amount=balance.quantize(CENT),
        payment_method=choices.payment_method,
        services=services,
    )


# --- shipping --------------------------------------------------------------------------------


def ship_day(moment: datetime | None = None) -> date:
    """The day own stock ships: today before the cut-off hour, else tomorrow."""
    local = timezone.localtime(moment or timezone.now())
    if local.hour >= settings.ORDERS_SHIP_CUTOFF_HOUR:
        return local.date() + timedelta(days=1)
    return local.date()


def _serves(method: ShippingMethod, address: Address | None) -> bool:
    if address is None:
        return True
    countries = {c.strip().upper() for c in method.countries.split(",") if c.strip()}
    if countries and address.country.upper() not in countries:
        return False
    regions = {r.strip().lower() for r in method.regions.split(",") if r.strip()}
    return not regions or address.region.strip().lower() in regions


@dataclass(frozen=True)
class ShippingOption:
    method: ShippingMethod
    fee: Decimal
    is_free: bool
    ships_on: date
    arrives_by: date
    available: bool = True
    reason: str = ""

    @property
    def fee_incl_vat(self) -> Decimal:
        return self.fee + vat_of(self.fee)


def shipping_fee(
    *, method: ShippingMethod, goods_net: Decimal, pieces: int, shipments: int = 1
) -> tuple[Decimal, bool]:
    """The fee excl. VAT of shipping ``pieces`` worth ``goods_net``: the base fee of the
    highest band the amount reaches, plus the charge per started 1,000 pieces, once per
    shipment; nothing from the free-shipping threshold."""
    threshold = method.free_shipping_threshold
    if threshold is not None and goods_net >= threshold:
        return ZERO, True
    base = ZERO
    for rate in sorted(method.rates.all(), key=lambda r: r.min_amount):
        if goods_net >= rate.min_amount:
            base = rate.fee
    per_piece = method.fee_per_thousand_pieces * math.ceil(pieces / 1000) if pieces else ZERO
    return ((base + per_piece) * shipments).quantize(CENT), False


def shipping_methods() -> list[ShippingMethod]:
    return list(ShippingMethod.objects.filter(is_active=True).prefetch_related("rates"))


# --- the quote ---------------------------------------------------------------------------------


@dataclass
class QuotedLine:
    priced: PricedLine
    discount: Decimal = ZERO
    problem: str = ""

    @property
    def part(self):
        return self.priced.part

    @property
    def quantity(self) -> int:
        return self.priced.quantity

    @property
    def unit_price(self) -> Decimal | None:
        return self.priced.unit_price

    @property
    def packaging_label(self) -> str:
        return self.priced.packaging_label

    @property
    def stock(self) -> StockCover:
        return self.priced.stock

    @property
    def line_total(self) -> Decimal:
        return self.priced.total or ZERO

    @property
    def net(self) -> Decimal:
        return self.line_total - self.discount

    @property
    def vat(self) -> Decimal:
        return vat_of(self.net)

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


@dataclass
class CheckoutQuote:
    """Every amount of the review page, computed on the server."""

    cart: Cart | None
    choices: CheckoutChoices
    currency: str
    vat_rate: Decimal
    lines: list[QuotedLine] = field(default_factory=list)
    address: Address | None = None
    shipping_options: list[ShippingOption] = field(default_factory=list)
    shipping: ShippingOption | None = None
    coupon: Coupon | None = None
    coupon_free_shipping: bool = False
    subtotal: Decimal = ZERO
    discount: Decimal = ZERO
    shipping_fee: Decimal = ZERO
    shipping_discount: Decimal = ZERO
    points_available: int = 0
    points_max: int = 0
    points_amount: Decimal = ZERO
    balance_available: Decimal = ZERO
    balance_amount: Decimal = ZERO
    invoice: InvoiceDetails | None = None
    services: list[vas.ChosenService] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    token: str = ""

    @property
    def goods_net(self) -> Decimal:
        return self.subtotal - self.discount

    @property
    def shipping_net(self) -> Decimal:
        return self.shipping_fee - self.shipping_discount

    @property
    def shipping_vat(self) -> Decimal:
        return vat_of(self.shipping_net, self.vat_rate)

    @property
    def services_fee(self) -> Decimal:
        return sum((service.fee for service in self.services), ZERO)

    @property
    def services_vat(self) -> Decimal:
        return sum((service.vat for service in self.services), ZERO)

    @property
    def vat(self) -> Decimal:
        return (
            sum((line.vat for line in self.lines), ZERO) + self.shipping_vat + self.services_vat
        )

    @property
    def total(self) -> Decimal:
        return self.goods_net + self.shipping_net + self.services_fee + self.vat

    @property
    def points_used(self) -> int:
        return self.choices.points if "points" not in self.errors else 0

    @property
    def amount_due(self) -> Decimal:
        return max(self.total - self.points_amount - self.balance_amount, ZERO)

    @property
    def vat_percent(self) -> Decimal:
        return (self.vat_rate * 100).normalize()

    @property
    def pieces(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def expected_ship_date(self) -> date | None:
        dates = [self.line_ship_date(line) for line in self.lines]
        return max(dates) if dates else None

    def line_ship_date(self, line: QuotedLine) -> date:
        today = ship_day()
        if line.stock.from_suppliers and line.stock.lead_days is not None:
            return max(today, timezone.localdate() + timedelta(days=line.stock.lead_days))
        return today

    @property
    def has_supplier_lines(self) -> bool:
        return any(line.stock.from_suppliers for line in self.lines)

    @property
    def can_place(self) -> bool:
        return bool(self.lines) and not self.errors and not self.problems

    @property
    def payment_method(self) -> str:
        return self.choices.payment_method


def _points_value(points: int) -> Decimal:
    rate = settings.ORDERS_POINTS_PER_CURRENCY_UNIT
    return (Decimal(points) / rate).quantize(CENT, rounding=ROUND_DOWN)


def _line_problem(line: PricedLine) -> str:
    mpn = line.part.mpn
    if line.quote_expired:
        return _(
            "%(mpn)s: quote %(reference)s can no longer be ordered (valid until %(until)s); "
            "remove the line or ask us for a new quote."
        ) % {
            "mpn": mpn,
            "reference": line.quote_line.inquiry.reference,
            "until": line.quote_line.valid_until,
        }
    if not line.is_priced:
        return _("%(mpn)s has no list price at %(quantity)s pieces: request a quote for it.") % {
            "mpn": mpn,
            "quantity": f"{line.quantity:,}",
        }
    if line.stock.status == "short":
        return _(
            "%(mpn)s: only %(available)s of %(quantity)s available; lower the quantity or "
            "request a quote for the rest."
        ) % {
            "mpn": mpn,
            "available": f"{line.stock.available:,}",
            "quantity": f"{line.quantity:,}",
        }
    return ""


def _coupon_lines(priced: PricedCart) -> list[CouponLine]:
    items = [
        {"part_id": line.part.pk, "quantity": line.quantity, "line_total": line.total or ZERO}
        for line in priced.lines
    ]
    return coupon_selectors.coupon_lines_for_priced_parts(items) if items else []


def checkout_quote(
    *, customer, cart: Cart | None, choices: CheckoutChoices, priced: PricedCart | None = None
) -> CheckoutQuote:
    """Price the cart with the customer's choices; problems and refusals are collected in
    ``errors`` (per field) and ``problems`` (per line) for the page to show."""
    priced = priced if priced is not None else cart_price(cart=cart)
    quote = CheckoutQuote(
        cart=cart, choices=choices, currency=settings.SHOP_CURRENCY, vat_rate=vat_rate()
    )
    quote.lines = [QuotedLine(priced=line, problem=_line_problem(line)) for line in priced.lines]
    quote.problems = [line.problem for line in quote.lines if line.problem]
    if len(quote.lines) > settings.ORDERS_MAX_CART_LINES:
        quote.problems.append(
            _("At most %(max)s lines per order: split the cart.")
            % {"max": f"{settings.ORDERS_MAX_CART_LINES:,}"}
        )
    quote.subtotal = sum((line.line_total for line in quote.lines), ZERO)
    profile = CustomerProfile.objects.filter(user=customer).first()
    quote.points_available = profile.points if profile else 0
    quote.balance_available = profile.balance if profile else ZERO

    # Address and shipping.
    if choices.address_id is not None:
        quote.address = Address.objects.filter(user=customer, pk=choices.address_id).first()
        if quote.address is None:
            quote.errors["address_id"] = _("Choose one of your addresses, or add a new one.")
    else:
        quote.errors["address_id"] = _("Choose where to ship the order.")

    # Coupon: computed from the cart's real lines.
    if choices.coupon_code:
        coupon = coupon_selectors.coupon_of_by_code(customer, choices.coupon_code)
        if coupon is None:
            quote.errors["coupon_code"] = (
                _(
                    "We don't know this coupon code in your account; check it, or pick one "
                    "from your coupons."
                )
            )
        else:
            coupon_lines = _coupon_lines(priced)
            try:
                checked = coupon_services.coupon_check(
                    coupon=coupon,
                    user=customer,
                    lines=coupon_lines,
                    is_first_order=coupon_selectors.is_first_order_for(customer),
                )
            except CouponNotApplicable as error:
                quote.errors["coupon_code"] = str(error)
            else:
                quote.coupon = coupon
                quote.coupon_free_shipping = checked.free_shipping
                quote.discount = checked.discount
                shares = coupon_services.coupon_discount_shares(
                    coupon=coupon, lines=coupon_lines, discount=checked.discount
                )
                for line, share in zip(quote.lines, shares, strict=True):
                    line.discount = share

    ships_on = quote.lines and max(quote.line_ship_date(line) for line in quote.lines)
    shipments = 2 if choices.ship_partial and quote.has_supplier_lines else 1
    for method in shipping_methods():
        fee, free = shipping_fee(
            method=method, goods_net=quote.goods_net, pieces=quote.pieces, shipments=shipments
        )
        first_ship = ship_day() if choices.ship_partial else (ships_on or ship_day())
        option = ShippingOption(
            method=method,
            fee=fee,
            is_free=free,
            ships_on=first_ship,
            arrives_by=(ships_on or ship_day()) + timedelta(days=method.transit_days),
            available=_serves(method, quote.address),
            reason="" if _serves(method, quote.address) else _("Does not ship to this address."),
        )
        quote.shipping_options.append(option)
        if method.pk == choices.shipping_method_id:
            quote.shipping = option
    if quote.shipping is None:
        quote.errors["shipping_method_id"] = _("Choose a shipping method.")
    elif not quote.shipping.available:
        quote.errors["shipping_method_id"] = (
            _("%(method)s does not ship to this address; choose another method.")
            % {"method": quote.shipping.method.name}
        )
    else:
        quote.shipping_fee = quote.shipping.fee
        if quote.coupon_free_shipping:
            quote.shipping_discount = quote.shipping_fee

    # Invoice.
    if choices.invoice_kind != InvoiceKind.NONE:
        quote.invoice = InvoiceDetails.objects.filter(user=customer).first()
        if quote.invoice is None:
            quote.errors["invoice_kind"] = (
                _("Add your invoice details (company title and taxpayer ID) first.")
            )
        elif choices.invoice_kind == InvoiceKind.SPECIAL and not all(
            (
                quote.invoice.registered_address,
                quote.invoice.registered_phone,
                quote.invoice.bank_name,
                quote.invoice.bank_account,
            )
        ):
            quote.errors["invoice_kind"] = (
                _(
                    "A VAT special invoice needs your registered address and phone, bank and "
                    "account number: complete your invoice details."
                )
            )

    # Value-added services, each a VAT line of its own.
    quote.services, service_problems = vas.price_services(
        chosen=choices.services, lines=quote.lines, rate=quote.vat_rate
    )
    if service_problems:
        quote.errors["services"] = " ".join(service_problems)

    # Points, then balance, against the total.
    rate = settings.ORDERS_POINTS_PER_CURRENCY_UNIT
    share = (quote.total * settings.ORDERS_POINTS_MAX_SHARE).quantize(CENT, rounding=ROUND_DOWN)
    quote.points_max = min(int(share * rate), quote.points_available)
    if choices.points:
        if choices.points > quote.points_available:
            quote.errors["points"] = (
                _("You have %(points)s points; redeem at most that many.")
                % {"points": f"{quote.points_available:,}"}
            )
        elif choices.points > quote.points_max:
            quote.errors["points"] = (
                _(
                    "Points pay at most %(share)s %% of an order: redeem at most %(max)s points "
                    "on this one."
                )
                % {
                    "share": f"{settings.ORDERS_POINTS_MAX_SHARE * 100:.0f}",
                    "max": f"{quote.points_max:,}",
                }
            )
        else:
            quote.points_amount = _points_value(choices.points)
    payable = quote.total - quote.points_amount
    if choices.payment_method == PaymentMethod.BALANCE:
        wanted = payable
    else:
        wanted = min(choices.balance_amount, payable)
    if wanted > quote.balance_available:
        quote.errors["balance_amount"] = (
            _(
                "Your balance is %(balance)s %(currency)s, less than %(wanted)s %(currency)s: "
                "top up, use less of it, or pay the rest by another method."
            )
            % {"balance": quote.balance_available, "wanted": wanted, "currency": quote.currency}
        )
    else:
        quote.balance_amount = wanted
    quote.token = _quote_token(quote)
    return quote


# --- what the customer saw ------------------------------------------------------------------


def _quote_summary(quote: CheckoutQuote) -> dict:
    return {
        "l": [
            [
                line.priced.line.pk,
                line.part.mpn,
                line.quantity,
                str(line.unit_price) if line.unit_price is not None else None,
                line.stock.status,
            ]
            for line in quote.lines
        ],
        "t": {
            "subtotal": str(quote.subtotal),
            "discount": str(quote.discount),
            "shipping": str(quote.shipping_net),
            "services": str(quote.services_fee),
            "vat": str(quote.vat),
            "total": str(quote.total),
            "points": str(quote.points_amount),
            "balance": str(quote.balance_amount),
            "due": str(quote.amount_due),
        },
        "c": quote.choices.digest(),
    }


def _quote_token(quote: CheckoutQuote) -> str:
    return signing.dumps(_quote_summary(quote), salt=QUOTE_SALT, compress=True)


AMOUNT_LABELS = {
    "subtotal": gettext_lazy("Subtotal"),
    "discount": gettext_lazy("Coupon discount"),
    "shipping": gettext_lazy("Shipping"),
    "services": gettext_lazy("Services"),
    "vat": gettext_lazy("VAT"),
    "total": gettext_lazy("Total"),
    "points": gettext_lazy("Points"),
    "balance": gettext_lazy("Balance used"),
    "due": gettext_lazy("Amount to pay"),
}


def quote_changes(*, seen_token: str, quote: CheckoutQuote) -> list[str]:
    """What differs between the quote the customer reviewed and the one computed now."""
    try:
        seen = signing.loads(seen_token, salt=QUOTE_SALT)
    except signing.BadSignature:
        return [_("The order form was changed or is from an older visit.")]
    now = _quote_summary(quote)
    changes: list[str] = []
    before = {row[0]: row for row in seen.get("l", [])}
    after = {row[0]: row for row in now["l"]}
    for line_id, row in after.items():
        old = before.get(line_id)
        mpn = row[1]
        if old is None:
            changes.append(_("%(mpn)s was added to the cart.") % {"mpn": mpn})
            continue
        if old[2] != row[2]:
            changes.append(
                _("%(mpn)s: quantity %(old)s → %(new)s.")
                % {"mpn": mpn, "old": f"{old[2]:,}", "new": f"{row[2]:,}"}
            )
        if old[3] != row[3]:
            changes.append(
                _("%(mpn)s: unit price %(old)s → %(new)s %(currency)s.")
                % {"mpn": mpn, "old": old[3], "new": row[3], "currency": quote.currency}
            )
        if old[4] != row[4]:
            changes.append(
                _("%(mpn)s: availability changed (%(now)s).")
                % {"mpn": mpn, "now": StockCover_label(row[4])}
            )
    for line_id, old in before.items():
        if line_id not in after:
            changes.append(_("%(mpn)s is no longer in the cart.") % {"mpn": old[1]})
    if seen.get("c") != now["c"]:
        changes.append(_("Your checkout choices changed."))
    for key, label in AMOUNT_LABELS.items():
        if seen.get("t", {}).get(key, "0.00" if key == "services" else None) != now["t"][key]:
            changes.append(
                f"{label}: {seen.get('t', {}).get(key)} → {now['t'][key]} {quote.currency}."
            )
    return changes


def StockCover_label(status: str) -> str:  # noqa: N802 - reads as the label of a status
    return {
        "stock": _("now in stock"),
        "supplier": _("now ships from a supplier"),
        "short": _("not enough stock"),
    }.get(status, status)


# --- placing the order -------------------------------------------------------------------------


def _request_fingerprint(*, choices: CheckoutChoices, seen_token: str) -> str:
    digest = hashlib.sha256()
    digest.update(choices.digest().encode())
    digest.update(b"|")
    digest.update(seen_token.encode())
    return digest.hexdigest()


def _existing_order(customer, idempotency_key: str, fingerprint: str) -> Order | None:
    order = Order.objects.filter(customer=customer, idempotency_key=idempotency_key).first()
    if order is None:
        return None
    if order.request_fingerprint != fingerprint:
        raise IdempotencyConflict(
            "This order form was already used to place order "
            f"{order.reference} with other contents. Reload the checkout to place a new order."
        )
    return order


def _check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": _("An idempotency key is required.")})
    if len(key) > MAX_IDEMPOTENCY_KEY or _has_control_characters(key):
        raise ValidationError(
            {"idempotency_key": f"Use at most {MAX_IDEMPOTENCY_KEY} printable characters."}
        )
    return key


def _share_reservation(lines: list[QuotedLine], reservations) -> list[tuple[int, list]]:
    """Hand each part's reserved pieces to its lines in cart order: own stock first."""
    own_left = {pk: item.from_stock for pk, item in reservations.items()}
    supply_left = {
        pk: [[s.offer_id, s.supplier_id, s.quantity, s.lead_days] for s in item.supplies]
        for pk, item in reservations.items()
    }
    shares = []
    for line in lines:
        pk = line.part.pk
        own = min(line.quantity, own_left.get(pk, 0))
        own_left[pk] = own_left.get(pk, 0) - own
        needed, supplies = line.quantity - own, []
        for supply in supply_left.get(pk, []):
            if needed <= 0:
                break
            taken = min(needed, supply[2])
            if taken:
                supplies.append((supply[0], supply[1], taken, supply[3]))
                supply[2] -= taken
                needed -= taken
        shares.append((own, supplies))
    return shares


def _new_order_reference() -> str:
    for _attempt in range(10):
        reference = new_reference("SO-")
        if not Order.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("No free order reference after 10 attempts.")


def order_place(
    *, customer, choices: CheckoutChoices, idempotency_key: str, seen_token: str
) -> Order:
    """Place the order the customer reviewed (``seen_token`` is the quote's token).

    One transaction: the cart is locked, the quote recomputed and compared with what the
    customer saw, stock reserved (own stock, then supplier offers, rows locked in primary
    key order), the coupon redeemed, points and balance debited, the order and its lines
    written and the cart closed. No network call happens inside it; emails and gateway
    calls follow the commit. The same idempotency key with the same form returns the first
    order; with another cart it is refused (``IdempotencyConflict``).
    """
    key = _check_key(idempotency_key)
    choices = clean_choices(choices)
    fingerprint = _request_fingerprint(choices=choices, seen_token=seen_token or "")
    existing = _existing_order(customer, key, fingerprint)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _place_locked(customer, choices, key, fingerprint, seen_token or "")
    except IntegrityError:
        # A parallel submission with the same key won the unique constraint.
        existing = _existing_order(customer, key, fingerprint)
        if existing is not None:
            return existing
        raise


def _place_locked(customer, choices, key, fingerprint, seen_token) -> Order:
    cart = open_cart_for_update(customer=customer)
    existing = _existing_order(customer, key, fingerprint)
    if existing is not None:
        return existing
    if cart is None:
        raise EmptyCart()
    quote = checkout_quote(customer=customer, cart=cart, choices=choices)
    if not quote.lines:
        raise EmptyCart()
    if quote.errors:
        raise ValidationError(quote.errors)
    short = [line for line in quote.lines if line.priced.is_priced and line.stock.status == "short"]
    if short:
        raise OutOfStock(
            [
                f"{line.part.mpn}: only {line.stock.available:,} of {line.quantity:,} available."
                for line in short
            ]
        )
    if quote.problems:
        raise CartNotOrderable(quote.problems)
    changes = quote_changes(seen_token=seen_token, quote=quote)
    if changes:
        raise QuoteChanged(changes)
    # Quoted lines are locked and checked once more: a quote line is ordered once.
    rfq_services.quote_lines_lock_for_order(
        customer=customer,
        quote_line_ids=[line.priced.line.quote_line_id for line in quote.lines
                        if line.priced.line.quote_line_id],
    )

    now = timezone.now()
    address = quote.address
    invoice = quote.invoice
    reference = _new_order_reference()
    order = Order.objects.create(
        reference=reference,
        customer=customer,
        cart=cart,
        idempotency_key=key,
        request_fingerprint=fingerprint,
        currency=quote.currency,
        vat_rate=quote.vat_rate,
        recipient=address.recipient,
        company=address.company,
        phone=address.phone,
        line1=address.line1,
        line2=address.line2,
        city=address.city,
        region=address.region,
        postal_code=address.postal_code,
        country=address.country,
        shipping_method=quote.shipping.method,
        shipping_method_name=str(quote.shipping.method),
        ship_partial=choices.ship_partial and quote.has_supplier_lines,
        expected_ship_date=quote.expected_ship_date,
        invoice_kind=choices.invoice_kind,
        invoice_title=invoice.company_title if invoice else "",
        invoice_taxpayer_id=invoice.taxpayer_id if invoice else "",
        invoice_address=invoice.registered_address if invoice else "",
        invoice_phone=invoice.registered_phone if invoice else "",
        invoice_bank_name=invoice.bank_name if invoice else "",
        invoice_bank_account=invoice.bank_account if invoice else "",
        po_number=choices.po_number,
        note=choices.note,
        coupon=quote.coupon,
        coupon_code=quote.coupon.code if quote.coupon else "",
        subtotal=quote.subtotal,
        discount=quote.discount,
        shipping_fee=quote.shipping_fee,
        shipping_discount=quote.shipping_discount,
        services_fee=quote.services_fee,
        vat=quote.vat,
        total=quote.total,
        points_used=quote.points_used,
        points_amount=quote.points_amount,
        balance_amount=quote.balance_amount,
        amount_due=quote.amount_due,
        payment_method=choices.payment_method,
        payment_due_at=now + lifecycle.payment_window(choices.payment_method),
    )
    lifecycle.order_event_add(
        order=order,
        kind=OrderEventKind.PLACED,
        actor=customer,
        message=f"Order placed: {quote.total} {quote.currency}",
        to_status=order.status,
    )
    cart.checked_out_at = now
    cart.save(update_fields=["checked_out_at", "updated_at"])

    # Stock is locked last of the order's own writes: the rows every buyer of a part
    # queues on are held for as short a time as possible.
    wanted: dict[int, int] = defaultdict(int)
    for line in quote.lines:
        wanted[line.part.pk] += line.quantity
    try:
        reservations = catalog_services.stock_reserve(wanted=wanted)
    except InsufficientStock as shortage:
        by_pk = {line.part.pk: line.part.mpn for line in quote.lines}
        raise OutOfStock(
            [
                f"{by_pk[pk]}: only {free:,} of {wanted[pk]:,} available."
                for pk, free in sorted(shortage.shortages.items())
            ]
        ) from shortage

    shares = _share_reservation(quote.lines, reservations)
    order_lines = []
    for position, (line, (own, supplies)) in enumerate(zip(quote.lines, shares, strict=True)):
        order_lines.append(
            OrderLine(
                order=order,
                position=position + 1,
                part=line.part,
                sku=line.part.sku or "",
                mpn=line.part.mpn,
                manufacturer=line.part.manufacturer.name,
                description=line.part.description[:500],
                packaging_id=line.priced.packaging.pk if line.priced.packaging else None,
                packaging_label=line.packaging_label,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
                discount=line.discount,
                net=line.net,
                vat=line.vat,
                gross=line.gross,
                from_stock=own,
                from_suppliers=line.quantity - own,
                lead_days=max((s[3] for s in supplies), default=None),
                quote_line_id=line.priced.line.quote_line_id,
            )
        )
    created = OrderLine.objects.bulk_create(order_lines)
    if any(supplies for _own, supplies in shares):
        if any(line.pk is None for line in created):  # backends without RETURNING
            created = list(order.lines.order_by("position"))
        OrderLineSupply.objects.bulk_create(
            OrderLineSupply(
                line=line, offer_id=offer_id, supplier_id=supplier_id, quantity=qty, lead_days=days
            )
            for line, (_own, supplies) in zip(created, shares, strict=True)
            for offer_id, supplier_id, qty, days in supplies
        )
    gift_lines_add(order=order, subtotal=quote.subtotal, after_position=len(order_lines))

    if quote.services:
        if any(line.pk is None for line in created):
            created = list(order.lines.order_by("position"))
        by_cart_line = {
            line.priced.line.pk: made for line, made in zip(quote.lines, created, strict=True)
        }
        OrderService.objects.bulk_create(
            OrderService(
                order=order,
                line=by_cart_line.get(chosen.cart_line_id) if chosen.cart_line_id else None,
                service=chosen.service,
                kind=chosen.service.kind,
                name=chosen.service.name,
                fee=chosen.fee,
                vat=chosen.vat,
                customer_part_number=chosen.customer_part_number,
            )
            for chosen in quote.services
        )

    if quote.coupon is not None:
        coupon_services.coupon_redeem(
            coupon_id=quote.coupon.pk,
            user=customer,
            order_reference=reference,
            lines=_coupon_lines_of(quote),
            shipping=quote.shipping_fee,
            is_first_order=coupon_selectors.is_first_order_for(customer),
        )
    if quote.points_used:
        customer_services.points_redeem(
            user=customer,
            points=quote.points_used,
            reference=reference,
            idempotency_key=f"order:{reference}",
        )
    if quote.balance_amount > 0:
        entry = customer_services.balance_debit(
            user=customer,
            amount=quote.balance_amount,
            idempotency_key=f"order:{reference}:balance",
            kind=BalanceEntryKind.PAYMENT,
            reference_type="order",
            reference_id=reference,
            note=f"Payment of order {reference}",
        )
        payment = Payment.objects.create(
            order=order,
            method=PaymentMethod.BALANCE,
            amount=quote.balance_amount,
            currency=order.currency,
            status=PaymentStatus.SUCCEEDED,
            provider_reference=f"balance-entry-{entry.pk}",
            idempotency_key=f"balance:{reference}",
            succeeded_at=now,
        )
        lifecycle.order_payment_recorded(order=order, payment=payment, actor=customer)
    elif quote.amount_due == 0:
        lifecycle.order_payment_recorded_without_money(order=order, actor=customer)
    lifecycle.notify_order_placed(order.pk)
    behaviour.event_record_on_commit(
        kind=EventKind.ORDER_PLACED, customer_id=customer.pk, order_id=order.pk, amount=order.total
    )
    return order


def _coupon_lines_of(quote: CheckoutQuote) -> list[CouponLine]:
    items = [
        {"part_id": line.part.pk, "quantity": line.quantity, "line_total": line.line_total}
        for line in quote.lines
    ]
    return coupon_selectors.coupon_lines_for_priced_parts(items)
