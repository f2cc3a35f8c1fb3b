"""The period and grouping a report is asked for (GET parameters)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)

    default_days = 30

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=self.default_days - 1)
        if start > end:
            start, end = end, start
        if (end - start).days > MAX_DAYS:
            start = end - timedelta(days=MAX_DAYS)
        return start, end


class FunnelForm(PeriodForm):
    grain = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("day", _("day")), ("week", _("week")), ("month", _("month"))],
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=80)

    def grain_value(self) -> str:
        return (self.cleaned_data.get("grain") if self.is_valid() else "") or "day"

    def source_value(self) -> str:
        return (self.cleaned_data.get("source") if self.is_valid() else "") or ""


class CohortForm(PeriodForm):
    default_days = 365


class SellThroughForm(PeriodForm):
    by = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[("category", _("category")), ("manufacturer", _("manufacturer"))],
    )

    def by_value(self) -> str:
        return (self.cleaned_data.get("by") if self.is_valid() else "") or "category"
