"""Report pages in the admin: staff only, a period form, charts, tables, CSV and XLSX."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from customers import behaviour

from . import exports, forms, rollups, selectors


@dataclass(frozen=True)
class ReportPage:
    slug: str
    title: str
    description: str
    form: type
    build: Callable


def _funnel(form):
    start, end = form.period()
    return selectors.funnel_report(
        start=start, end=end, grain=form.grain_value(), source=form.source_value()
    )


def _cohorts(form):
    start, end = form.period()
    return selectors.cohort_report(start=start, end=end)


def _sell_through(form):
    start, end = form.period()
    return selectors.sell_through_report(start=start, end=end, by=form.by_value(), today=end)


def _period(builder):
    def build(form):
        start, end = form.period()
        return builder(start=start, end=end)

    return build


PAGES = {
    page.slug: page
    for page in (
        ReportPage("funnel", _("Funnel"), _("Visitors to paid orders, per period and source."),
                   forms.FunnelForm, _funnel),
        ReportPage("cohorts", _("First-order coupon cohorts"),
                   _("Sign-up months: coupon use, second orders, revenue and margin."),
                   forms.CohortForm, _cohorts),
        ReportPage("sell-through", _("Sell-through"),
                   _("Listed against sold parts by category or manufacturer; idle stock."),
                   forms.SellThroughForm, _sell_through),
        ReportPage("demand", _("What to list next"),
                   _("Zero-result searches and unmatched BOM and quote lines."),
                   forms.PeriodForm, _period(selectors.demand_report)),
        ReportPage("promotions", _("Promotion results"),
                   _("Coupons issued and used, revenue they came with, top-up bonuses."),
                   forms.PeriodForm, _period(selectors.promotion_report)),
        ReportPage("customers", _("Customers"),
                   _("Top customers, average order value, repeat rate."),
                   forms.PeriodForm, _period(selectors.customer_report)),
    )
}  # fmt: skip


def _context(request, **extra) -> dict:
    return {**admin.site.each_context(request), "pages": PAGES.values(), **extra}


def report_index(request):
    return render(request, "reports/index.html", _context(request, title=_("Reports")))


def report_page(request, *, slug: str):
    page = PAGES[slug]
    form = page.form(request.GET or None)
    report = page.build(form)
    start, end = form.period()
    filename = f"{slug}-{start:%Y%m%d}-{end:%Y%m%d}"
    export = request.GET.get("export")
    if export == "csv":
        return exports.report_csv(report, filename=filename)
    if export == "xlsx":
        return exports.report_xlsx(report, filename=filename)
    query = request.GET.copy()
    query.pop("export", None)
    extra = {}
    if slug == "funnel":
        extra["sources"] = selectors.funnel_sources(start, end)
    context = _context(
        request,
        title=page.title,
        page=page,
        form=form,
        start=start,
        end=end,
        report=report,
        charts=[
            {"id": f"report-chart-{index}", "data": chart.as_json()}
            for index, chart in enumerate(report.charts, start=1)
        ],
        query=query.urlencode(),
        **extra,
    )
    return render(request, "reports/report.html", context)


def _page_view(slug: str):
    def view(request):
        return report_page(request, slug=slug)

    view.__name__ = f"report_{slug.replace('-', '_')}"
    return view


@require_POST
def report_refresh(request):
    """Write the buffered events and rebuild today's and yesterday's rollups now."""
    written = behaviour.events_flush()
    rollups.rollups_refresh(days=2)
    messages.success(
        request,
        _("%(count)s new events written; today and yesterday rebuilt.")
        % {"count": written},  # fmt: skip
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("reports:index")
    return HttpResponseRedirect(target)
