"""The filters of the customer's order list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..status import OrderStatus
from .selectors import OrderFilters


class OrderFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Order reference, PO number or MPN")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *OrderStatus.choices]
    )
    placed_from = forms.DateField(
        label=_("Placed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2026-03-01.")},
    )
    placed_to = forms.DateField(
        label=_("to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2026-03-31.")},
    )
    po_number = forms.CharField(label=_("PO number"), required=False, max_length=64)
    mpn = forms.CharField(label=_("MPN"), required=False, max_length=100)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("placed_from"), cleaned.get("placed_to")
        if start and end and start > end:
            self.add_error("placed_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> OrderFilters:
        """The filters that parsed; a field with an error filters nothing."""
        data = getattr(self, "cleaned_data", {})
        return OrderFilters(
            status=data.get("status") or "",
            placed_from=data.get("placed_from"),
            placed_to=data.get("placed_to") if "placed_to" not in self.errors else None,
            po_number=(data.get("po_number") or "").strip(),
            mpn=(data.get("mpn") or "").strip(),
            q=(data.get("q") or "").strip(),
        )
