"""Forms of the cart and quote pages: parse and show input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..quantities import parse_id, parse_quantity
from .services import MAX_INQUIRY_LINES, InquiryLineInput, parse_needed_by, parse_target_price

QUOTE_ROWS = 5  # line rows the quote form shows at first; "More lines" adds as many again


class InquiryForm(forms.Form):
    contact_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={"invalid": _("Enter a valid email address, e.g. name@company.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Delivery schedule, packaging, alternatives you accept, target date…"),
    )
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)
    # Left empty by people; robots that fill every field are thanked and ignored.
    website = forms.CharField(required=False, label=_("Leave this empty"))


class InquiryLineForm(forms.Form):
    """One row of the quote form; a row left blank is skipped."""

    part = forms.CharField(required=False, widget=forms.HiddenInput)
    mpn = forms.CharField(label=_("Part number (MPN)"), max_length=100, required=False)
    manufacturer = forms.CharField(label=_("Manufacturer"), max_length=120, required=False)
    quantity = forms.CharField(
        label=_("Quantity"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    target_unit_price = forms.CharField(
        label=_("Target unit price"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    needed_by = forms.CharField(
        label=_("Needed by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def is_blank(self) -> bool:
        data = self.data
        return not any(
            (data.get(self.add_prefix(name)) or "").strip()
            for name in ("mpn", "manufacturer", "quantity", "target_unit_price", "needed_by")
        )

    def clean_quantity(self):
        value = self.cleaned_data["quantity"].strip()
        return parse_quantity(value) if value else None

    def clean_target_unit_price(self):
        try:
            return parse_target_price(self.cleaned_data["target_unit_price"])
        except ValidationError as error:
            message = error.messages[0]
            raise ValidationError(message[0].upper() + message[1:]) from error

    def clean_needed_by(self):
        try:
            return parse_needed_by(self.cleaned_data["needed_by"])
        except ValidationError as error:
            message = error.messages[0]
            raise ValidationError(message[0].upper() + message[1:]) from error

    def clean_part(self):
        return parse_id(self.cleaned_data["part"])

    def clean(self):
        cleaned = super().clean()
        if self.is_blank():
            return cleaned
        if not (cleaned.get("mpn") or "").strip() and "mpn" not in self.errors:
            self.add_error("mpn", _("Enter the part number."))
        if cleaned.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Enter the quantity."))
        return cleaned

    def line_input(self) -> InquiryLineInput:
        data = self.cleaned_data
        return InquiryLineInput(
            mpn=data["mpn"],
            manufacturer=data["manufacturer"],
            quantity=data["quantity"],
            target_unit_price=data["target_unit_price"],
            part_id=data["part"],
            needed_by=data["needed_by"],
        )


def line_forms(data=None, *, rows: int = QUOTE_ROWS, initial: list[dict] | None = None):
    """The quote form's line rows, named line-0-mpn, line-1-mpn, …"""
    initial = initial or []
    rows = max(1, min(max(rows, len(initial)), MAX_INQUIRY_LINES))
    return [
        InquiryLineForm(
            data,
            prefix=f"line-{index}",
            initial=initial[index] if index < len(initial) else None,
            use_required_attribute=False,
        )
        for index in range(rows)
    ]


def posted_rows(data) -> int:
    rows = parse_id(data.get("rows", ""))
    return rows if rows is not None and rows < 1000 else QUOTE_ROWS


def row_errors(lines) -> list[str]:
    """The bad rows' messages, each named by its row number: "Line 3: Enter the quantity." """
    messages = []
    for number, line in enumerate(lines, start=1):
        if line.is_blank() or not line.errors:
            continue
        for field_errors in line.errors.values():
            messages.extend(
                _("Line %(number)s: %(message)s") % {"number": number, "message": message}
                for message in field_errors
            )
    return messages
