"""The checkout form: parses what the customer picked into ``CheckoutChoices``.

Amounts, limits and whether a coupon applies are the quote's to decide
(``services.checkout_quote``); this form only turns text into ids, numbers and kinds, and
refuses what no one types.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.forms import AddressForm

from ..fulfilment import vas
from ..models import InvoiceKind, PaymentMethod
from ..quantities import parse_id
from .services import TEXT_LIMITS, CheckoutChoices

NEW_ADDRESS = "new"
SHIP_TOGETHER = "together"
SHIP_PARTIAL = "partial"

# Fields of the service's errors, by the name the form shows them under.
SERVICE_FIELDS = {
    "address_id": "address",
    "shipping_method_id": "shipping_method",
    "ship_partial": "ship_partial",
    "invoice_kind": "invoice_kind",
    "po_number": "po_number",
    "note": "note",
    "coupon_code": "coupon_code",
    "points": "points",
    "balance_amount": "balance_amount",
    "payment_method": "payment_method",
}


class CheckoutAddressForm(AddressForm):
    """A new address typed at checkout: the address book's form and rules."""

    prefix = "new"


class CheckoutForm(forms.Form):
    address = forms.CharField(
        required=False, error_messages={"required": _("Choose where to ship the order.")}
    )
    shipping_method = forms.CharField(required=False)
    ship_partial = forms.ChoiceField(
        required=False,
        choices=[
            (SHIP_TOGETHER, _("Ship everything together when all is here")),
            (SHIP_PARTIAL, _("Ship what is in stock now, the rest when it arrives")),
        ],
    )
    invoice_kind = forms.ChoiceField(
        required=False,
        choices=InvoiceKind.choices,
        error_messages={
            "invalid_choice": _("Choose no invoice, an ordinary or a VAT special invoice.")
        },
    )
    po_number = forms.CharField(label=_("PO number"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note for us"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    coupon = forms.CharField(required=False)
    coupon_code = forms.CharField(label=_("Or type a code"), required=False, max_length=64)
    points = forms.IntegerField(
        label=_("Points to redeem"),
        required=False,
        min_value=0,
        error_messages={
            "invalid": _("Enter the points to redeem as a whole number, 0 or more."),
            "min_value": _("Enter the points to redeem as a whole number, 0 or more."),
        },
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )
    balance_amount = forms.DecimalField(
        label=_("Use from my balance"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": _("Enter the balance to use as an amount, e.g. 120.50."),
            "min_value": _("Enter the balance to use as an amount, e.g. 120.50."),
            "max_decimal_places": _("Enter the balance to use as an amount, e.g. 120.50."),
            "max_digits": _("Enter the balance to use as an amount, e.g. 120.50."),
            "max_whole_digits": _("Enter the balance to use as an amount, e.g. 120.50."),
        },
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
    )
    payment_method = forms.ChoiceField(
        required=False,
        choices=PaymentMethod.choices,
        error_messages={
            "invalid_choice": _("Choose how to pay: balance, bank transfer or online.")
        },
    )

    def clean_address(self):
        value = (self.cleaned_data.get("address") or "").strip()
        if value == NEW_ADDRESS:
            return NEW_ADDRESS
        if not value:
            raise forms.ValidationError(_("Choose where to ship the order."))
        address_id = parse_id(value)
        if address_id is None:
            raise forms.ValidationError(_("Choose one of your addresses, or add a new one."))
        return address_id

    def clean_shipping_method(self):
        value = (self.cleaned_data.get("shipping_method") or "").strip()
        method_id = parse_id(value)
        if method_id is None:
            raise forms.ValidationError(_("Choose a shipping method."))
        return method_id

    def clean_po_number(self):
        return self._text("po_number")

    def clean_note(self):
        return self._text("note")

    def _text(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        limit = TEXT_LIMITS[name]
        if len(value) > limit:
            raise forms.ValidationError(
                _("Keep this under %(limit)s characters.") % {"limit": f"{limit:,}"}
            )
        return value

    @property
    def wants_new_address(self) -> bool:
        return (self.data.get("address") or "").strip() == NEW_ADDRESS

    def choices(self, *, address_id: int | None = None) -> CheckoutChoices:
        """What the customer picked, from the fields that parsed (after ``is_valid``);
        ``address_id`` stands for a new address just saved."""
        data = getattr(self, "cleaned_data", {})
        address = data.get("address")
        if address_id is None and isinstance(address, int):
            address_id = address
        typed = (data.get("coupon_code") or "").strip()
        return CheckoutChoices(
            address_id=address_id,
            shipping_method_id=data.get("shipping_method"),
            ship_partial=data.get("ship_partial") == SHIP_PARTIAL,
            invoice_kind=data.get("invoice_kind") or InvoiceKind.NONE,
            po_number=data.get("po_number") or "",
            note=data.get("note") or "",
            coupon_code=typed or (data.get("coupon") or "").strip(),
            points=data.get("points") or 0,
            balance_amount=data.get("balance_amount") or Decimal("0.00"),
            payment_method=data.get("payment_method") or PaymentMethod.BANK_TRANSFER,
            services=tuple(vas.parse_posted(self.data)),
        )

    def add_service_errors(self, errors: dict) -> None:
        """Show the quote's or the order service's refusals beside their fields."""
        for name, messages in errors.items():
            field = SERVICE_FIELDS.get(name)
            for message in messages if isinstance(messages, list) else [messages]:
                if field is not None and field in self.fields:
                    self.add_error(field, message)
                else:
                    self.add_error(None, message)


def initial_of(choices: CheckoutChoices) -> dict:
    """The form's initial values for ``choices`` (the customer's defaults)."""
    return {
        "address": choices.address_id,
        "shipping_method": choices.shipping_method_id,
        "ship_partial": SHIP_PARTIAL if choices.ship_partial else SHIP_TOGETHER,
        "invoice_kind": choices.invoice_kind,
        "po_number": choices.po_number,
        "note": choices.note,
        "coupon_code": choices.coupon_code,
        "points": choices.points or None,
        "balance_amount": choices.balance_amount or None,
        "payment_method": choices.payment_method,
    }


def hidden_fields_of(choices: CheckoutChoices) -> list[tuple[str, str]]:
    """The review page's hidden inputs: the choices it was computed from, posted with
    "Place order"."""
    return [
        ("address", "" if choices.address_id is None else str(choices.address_id)),
        (
            "shipping_method",
            "" if choices.shipping_method_id is None else str(choices.shipping_method_id),
        ),
        ("ship_partial", SHIP_PARTIAL if choices.ship_partial else SHIP_TOGETHER),
        ("invoice_kind", choices.invoice_kind),
        ("po_number", choices.po_number),
        ("note", choices.note),
        ("coupon_code", choices.coupon_code),
        ("points", str(choices.points)),
        ("balance_amount", str(choices.balance_amount)),
        ("payment_method", choices.payment_method),
        *vas.hidden_fields(choices.services),
    ]
