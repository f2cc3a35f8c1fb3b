"""The reports operations read, built from the daily rollups (reports.models).

Each report returns a ``Report``: tables (what the CSV and XLSX exports hold, sheet by
sheet) and charts (what the page draws with Chart.js). Amounts are excl. VAT; a margin is
taken on the revenue whose cost is known.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from catalog.models import Category, Manufacturer, Part
from customers.models import BalanceEntry, BalanceEntryKind, User
from promotions.models import Coupon, CouponDefinition, CouponRedemption

from . import rollups
from .models import (
    CustomerOrderSummary,
    DemandDaily,
    IdlePartDaily,
    PaidOrderFact,
    PartGroupDaily,
    PartGrouping,
    PartSalesDaily,
    TrafficDaily,
)
from .rollups import day_bounds

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Chart:
    title: str
    kind: str  # bar, line
    labels: list[str]
    datasets: list[dict]
    horizontal: bool = False
    percent: bool = False

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "type": self.kind,
            "labels": self.labels,
            "datasets": self.datasets,
            "horizontal": self.horizontal,
            "percent": self.percent,
        }


@dataclass
class Report:
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def share(part, whole) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, or None for an empty whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def margin(revenue: Decimal, cost: Decimal) -> Decimal | None:
    return share(revenue - cost, revenue) if revenue else None


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _float(value) -> float:
    return float(value) if value is not None else 0.0


# --- funnel ------------------------------------------------------------------------------------

STAGES = [
    ("visitors", gettext_lazy("Visitors")),
    ("part_viewers", gettext_lazy("Part viewers")),
    ("inquirers", gettext_lazy("Inquiries")),
    ("carters", gettext_lazy("Carts")),
    ("orderers", gettext_lazy("Orders")),
    ("payers", gettext_lazy("Paid")),
]
GRAINS = ("day", "week", "month")


def period_start(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def funnel_sources(start: date, end: date) -> list[str]:
    """The "channel" and "channel:source" filters the period has rows for."""
    pairs = (
        TrafficDaily.objects.filter(day__gte=start, day__lte=end)
        .values_list("channel", "source")
        .distinct()
    )
    channels = sorted({channel for channel, _ in pairs})
    named = sorted(f"{channel}:{source}" for channel, source in pairs if source)
    return channels + named


def funnel_report(*, start: date, end: date, grain: str = "day", source: str = "") -> Report:
    rows = TrafficDaily.objects.filter(day__gte=start, day__lte=end)
    if source:
        channel, _sep, name = source.partition(":")
        rows = rows.filter(channel=channel, **({"source": name} if name else {}))
    fields = [name for name, _label in STAGES]
    periods: dict[date, dict] = defaultdict(lambda: dict.fromkeys(fields, 0))
    by_source: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(fields, 0))
    for row in rows.values("day", "channel", "source", *fields):
        bucket = periods[period_start(row["day"], grain)]
        per_source = by_source[(row["channel"], row["source"])]
        for name in fields:
            bucket[name] += row[name]
            per_source[name] += row[name]

    def rates(counts: dict) -> list:
        out = []
        for index, (name, _label) in enumerate(STAGES):
            out.append(counts[name])
            if index:
                out.append(share(counts[name], counts[STAGES[index - 1][0]]))
        out.append(share(counts["payers"], counts["visitors"]))
        return out

    headers = [str(STAGES[0][1])]
    for index, (_name, label) in enumerate(STAGES[1:], start=1):
        headers += [str(label), _("%(stage)s / %(previous)s %%") % {
            "stage": label, "previous": STAGES[index - 1][1]}]  # fmt: skip
    headers.append(_("Paid / visitors %"))
    ordered = sorted(periods)
    period_table = Table(
        _("Funnel per %(grain)s") % {"grain": grain},
        [_("Period")] + headers,
        [[period.isoformat(), *rates(periods[period])] for period in ordered],
    )
    source_table = Table(
        _("Funnel per source"),
        [_("Channel"), _("Source")] + headers,
        [
            [channel, source, *rates(counts)]
            for (channel, source), counts in sorted(
                by_source.items(), key=lambda item: -item[1]["visitors"]
            )
        ],
    )
    totals = dict.fromkeys(fields, 0)
    for counts in periods.values():
        for name in fields:
            totals[name] += counts[name]
    charts = [
        Chart(
            _("Funnel, whole period"),
            "bar",
            [str(label) for _name, label in STAGES],
            [{"label": _("People"), "data": [totals[name] for name in fields]}],
        ),
        Chart(
            _("Visitors and paid orders per %(grain)s") % {"grain": grain},
            "line",
            [period.isoformat() for period in ordered],
            [
                {"label": str(label), "data": [periods[period][name] for period in ordered]}
                for name, label in (STAGES[0], STAGES[3], STAGES[5])
            ],
        ),
    ]
    notes = [
        _(
            "A visitor is a signed-in customer or an anonymous visitor on one day; a week or "
            "month adds up its days. The source is that of the visitor's first request of "
            "the day from outside the store; crawlers are not counted."
        )
    ]
    return Report([period_table, source_table], charts, notes)


# --- first-order coupon cohorts -----------------------------------------------------------------

REPEAT_WINDOWS = (30, 90, 180)


def _month(day: date) -> date:
    return day.replace(day=1)


def cohort_report(*, start: date, end: date) -> Report:
    """Customers who signed up in each month from ``start`` to ``end``, split by whether
    they used the first-order coupon on a paid order. Customers are counted from the
    accounts, their orders from the per-customer summaries (CustomerOrderSummary)."""
    zone_start, _unused = day_bounds(_month(start))
    _unused, zone_end = day_bounds(end)
    signups = User.objects.filter(
        date_joined__gte=zone_start, date_joined__lt=zone_end, is_staff=False
    )
    zone = timezone.get_current_timezone()

    def empty():
        return {"customers": 0, "buyers": 0, "revenue": ZERO, "cost": ZERO, "costed": ZERO,
                **{f"repeat{days}": 0 for days in REPEAT_WINDOWS}}  # fmt: skip

    groups: dict[tuple[date, bool], dict] = defaultdict(empty)
    for row in (
        signups.annotate(month=TruncMonth("date_joined", tzinfo=zone, output_field=DateField()))
        .order_by()
        .values("month")
        .annotate(customers=Count("pk"))
    ):
        groups[(row["month"], False)]["customers"] += row["customers"]
    repeats = {
        f"repeat{days}": Count(
            "pk", filter=Q(second_paid_at__lte=F("first_paid_at") + timedelta(days=days))
        )
        for days in REPEAT_WINDOWS
    }
    for row in (
        CustomerOrderSummary.objects.filter(customer_id__in=signups.values("pk"))
        .order_by()
        .values("signup_month", "used_first_order_coupon")
        .annotate(
            buyers=Count("pk"),
            revenue=Sum("revenue"),
            cost=Sum("cost"),
            costed=Sum("costed_revenue"),
            **repeats,
        )
    ):
        month, used = row["signup_month"], row["used_first_order_coupon"]
        group = groups[(month, used)]
        for name in ("buyers", "revenue", "cost", "costed", *repeats):
            group[name] += row[name]
        if used:  # counted with the others so far
            group["customers"] += row["buyers"]
            groups[(month, False)]["customers"] -= row["buyers"]
    months = sorted({month for month, _used in groups})
    headers = [_("Sign-up month"), _("Group"), _("Customers"), _("Share of month %"),
               _("Buyers")] + [
        _("2nd paid order ≤ %(days)s days %% of buyers") % {"days": days}
        for days in REPEAT_WINDOWS
    ] + [_("Revenue"), _("Gross margin %")]  # fmt: skip
    table = Table(_("First-order coupon cohorts"), headers)
    chart_used, chart_not = [], []
    for month in months:
        total = groups[(month, True)]["customers"] + groups[(month, False)]["customers"]
        for used in (True, False):
            group = groups[(month, used)]
            table.rows.append(
                [
                    month.strftime("%Y-%m"),
                    _("used the first-order coupon") if used else _("did not use it"),
                    group["customers"],
                    share(group["customers"], total),
                    group["buyers"],
                    *[share(group[f"repeat{days}"], group["buyers"]) for days in REPEAT_WINDOWS],
                    money(group["revenue"]),
                    margin(group["costed"], group["cost"]),
                ]
            )
            (chart_used if used else chart_not).append(
                _float(share(group["repeat90"], group["buyers"]))
            )
    chart = Chart(
        _("Second paid order within 90 days, % of buyers"),
        "bar",
        [month.strftime("%Y-%m") for month in months],
        [
            {"label": _("used the first-order coupon"), "data": chart_used},
            {"label": _("did not use it"), "data": chart_not},
        ],
        percent=True,
    )
    return Report([table], [chart])


# --- sell-through ----------------------------------------------------------------------------

UNSOLD_DAYS = rollups.UNSOLD_DAYS


def sell_through_report(*, start: date, end: date, by: str = "category", today=None) -> Report:
    """Listed parts against parts sold in the period, by category or manufacturer, with
    revenue, margin and the parts on hand that sold nothing in the last 90 days."""
    key = "manufacturer_id" if by == "manufacturer" else "category_id"
    names = (
        dict(Manufacturer.objects.values_list("pk", "name"))
        if by == "manufacturer"
        else dict(Category.objects.values_list("pk", "path"))
    )
    today = today or timezone.localdate()
    sold = {
        row[key]: row
        for row in PartSalesDaily.objects.filter(day__gte=start, day__lte=end)
        .order_by()
        .values(key)
        .annotate(
            parts=Count("part_id", distinct=True),
            quantity=Sum("quantity"),
            revenue=Sum("revenue"),
            cost=Sum("cost"),
            costed=Sum("costed_revenue"),
        )
    }
    grouping = PartGrouping.MANUFACTURER if by == "manufacturer" else PartGrouping.CATEGORY
    snapshot = PartGroupDaily.objects.filter(day=today, grouping=grouping)
    if snapshot.exists():
        listed, idle = {}, {}
        for group_id, listed_count, idle_count in snapshot.values_list(
            "group_id", "listed", "idle"
        ):
            listed[group_id], idle[group_id] = listed_count, idle_count
        idle_ids = list(
            IdlePartDaily.objects.filter(day=today).order_by("position").values_list(
                "part_id", flat=True
            )
        )
        idle_by_id = {
            part.pk: part
            for part in Part.objects.filter(pk__in=idle_ids).select_related(
                "manufacturer", "category", "stock"
            )
        }
        idle_list = [idle_by_id[pk] for pk in idle_ids if pk in idle_by_id]
    else:  # not rebuilt yet today: count the catalog now
        listed, idle = rollups.part_group_counts(grouping=grouping, today=today)
        idle_list = list(
            rollups.unsold_stocked_parts(today=today)
            .select_related("manufacturer", "category", "stock")
            .order_by("-stock_available", "pk")[: rollups.IDLE_PARTS_LISTED]
        )
    table = Table(
        _("Sell-through by %(by)s")
        % {"by": _("manufacturer") if by == "manufacturer" else _("category")},  # fmt: skip
        [
            _("Manufacturer") if by == "manufacturer" else _("Category"),
            _("Listed parts"),
            _("Parts sold"),
            _("Sell-through %"),
            _("Pieces sold"),
            _("Revenue"),
            _("Cost"),
            _("Gross margin %"),
            _("On hand, no sale in %(days)s days") % {"days": UNSOLD_DAYS},
        ],
    )
    for group_id in sorted(set(listed) | set(sold), key=lambda pk: str(names.get(pk, pk))):
        row = sold.get(group_id, {})
        revenue = money(row.get("revenue"))
        table.rows.append(
            [
                names.get(group_id, f"#{group_id}"),
                listed.get(group_id, 0),
                row.get("parts", 0),
                share(row.get("parts", 0), listed.get(group_id, 0)),
                row.get("quantity", 0),
                revenue,
                money(row.get("cost")),
                margin(row.get("costed") or ZERO, row.get("cost") or ZERO),
                idle.get(group_id, 0),
            ]
        )
    idle_parts = Table(
        _("Parts on hand with no sale in %(days)s days (most pieces first)")
        % {"days": UNSOLD_DAYS},
        [
            _("SKU"),
            _("MPN"),
            _("Manufacturer"),
            _("Category"),
            _("Available"),
            _("Unit cost"),
            _("Value at cost"),
        ],  # fmt: skip
    )
    for part in idle_list:
        unit_cost = part.stock.unit_cost if hasattr(part, "stock") else None
        idle_parts.rows.append(
            [part.sku, part.mpn, part.manufacturer.name, part.category.path,
             part.stock_available, unit_cost,
             money(unit_cost * part.stock_available) if unit_cost is not None else None]
        )  # fmt: skip
    top = sorted(table.rows, key=lambda row: -row[5])[:15]
    charts = [
        Chart(
            _("Sell-through % of the best-selling groups"),
            "bar",
            [str(row[0]) for row in top],
            [{"label": _("Sell-through %"), "data": [_float(row[3]) for row in top]}],
            horizontal=True,
            percent=True,
        ),
        Chart(
            _("Revenue of the best-selling groups"),
            "bar",
            [str(row[0]) for row in top],
            [{"label": _("Revenue"), "data": [_float(row[5]) for row in top]}],
            horizontal=True,
        ),
    ]
    notes = [
        _(
            "Cost is what own stock cost (Stock.unit_cost) and what the supplier offer a "
            "line was sourced from costs, as they stood when the day was rolled up."
        )
    ]
    return Report([table, idle_parts], charts, notes)


# --- what to list next -------------------------------------------------------------------------


def _emails(customer_ids) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=customer_ids).values_list("pk", "email"))


def demand_report(*, start: date, end: date, limit: int = 300) -> Report:
    rows = DemandDaily.objects.filter(day__gte=start, day__lte=end)
    per_mpn = (
        rows.order_by()
        .values("normalized_mpn")
        .annotate(
            total=Sum("asks"),
            searches=Sum("asks", filter=Q(origin="search")),
            bom_lines=Sum("asks", filter=Q(origin="bom")),
            inquiry_lines=Sum("asks", filter=Q(origin="inquiry")),
            customers=Count("customer_id", distinct=True, filter=Q(customer_id__gt=0)),
        )
        .order_by("-total", "normalized_mpn")[:limit]
    )
    per_mpn = list(per_mpn)
    mpns = [row["normalized_mpn"] for row in per_mpn]
    askers: dict[str, set] = defaultdict(set)
    makers: dict[str, set] = defaultdict(set)
    for mpn, customer_id, maker in rows.filter(normalized_mpn__in=mpns).values_list(
        "normalized_mpn", "customer_id", "manufacturer"
    ):
        if customer_id:
            askers[mpn].add(customer_id)
        if maker:
            makers[mpn].add(maker)
    emails = _emails({pk for ids in askers.values() for pk in ids})
    by_mpn = Table(
        _("Unlisted part numbers asked for"),
        [
            _("Normalized MPN"),
            _("Asks"),
            _("Zero-result searches"),
            _("BOM lines"),
            _("Quote request lines"),
            _("Manufacturers named"),
            _("Customers"),
            _("Customers who asked"),
        ],  # fmt: skip
    )
    for row in per_mpn:
        mpn = row["normalized_mpn"]
        who = sorted(emails.get(pk, f"#{pk}") for pk in askers[mpn])
        by_mpn.rows.append(
            [mpn, row["total"], row["searches"] or 0, row["bom_lines"] or 0,
             row["inquiry_lines"] or 0, ", ".join(sorted(makers[mpn])), row["customers"],
             ", ".join(who[:10]) + (" …" if len(who) > 10 else "")]
        )  # fmt: skip
    per_prefix = list(
        rows.order_by()
        .values("prefix")
        .annotate(
            total=Sum("asks"),
            mpns=Count("normalized_mpn", distinct=True),
            customers=Count("customer_id", distinct=True, filter=Q(customer_id__gt=0)),
        )
        .order_by("-total", "prefix")[:limit]
    )
    by_prefix = Table(
        _("By manufacturer prefix (the letters an MPN starts with)"),
        [_("Prefix"), _("Asks"), _("Distinct MPNs"), _("Customers")],
        [[row["prefix"], row["total"], row["mpns"], row["customers"]] for row in per_prefix],
    )
    top = per_prefix[:15]
    chart = Chart(
        _("Most asked prefixes"),
        "bar",
        [row["prefix"] for row in top],
        [{"label": _("Asks"), "data": [row["total"] for row in top]}],
        horizontal=True,
    )
    return Report([by_mpn, by_prefix], [chart])


# --- promotions --------------------------------------------------------------------------------

PROMOTION_HEADERS = [
    gettext_noop("Promotion"), gettext_noop("Kind"), gettext_noop("Issued"), gettext_noop("Used"),
    gettext_noop("Discount or bonus paid"), gettext_noop("Revenue of paid orders"),
]  # fmt: skip


def coupon_promotion_rows(*, start: date, end: date) -> list[list]:
    """One row per coupon definition: issued and used in the period, discount given, and
    revenue of the paid orders that used it."""
    zone_start, _unused = day_bounds(start)
    _unused, zone_end = day_bounds(end)
    issued = dict(
        Coupon.objects.filter(issued_at__gte=zone_start, issued_at__lt=zone_end)
        .order_by()
        .values_list("definition_id")
        .annotate(count=Count("pk"))
    )
    used = {
        row["coupon__definition_id"]: row
        for row in CouponRedemption.objects.filter(
            created_at__gte=zone_start, created_at__lt=zone_end, released_at__isnull=True
        )
        .order_by()
        .values("coupon__definition_id")
        .annotate(count=Count("pk"), discount=Sum("discount"), shipping=Sum("shipping_discount"))
    }
    revenue = dict(
        PaidOrderFact.objects.filter(
            paid_day__gte=start, paid_day__lte=end, coupon_definition_id__isnull=False
        )
        .order_by()
        .values_list("coupon_definition_id")
        .annotate(total=Sum("revenue"))
    )
    names = dict(CouponDefinition.objects.values_list("pk", "name"))
    rows = []
    for definition_id in sorted(set(issued) | set(used) | set(revenue)):
        row = used.get(definition_id, {})
        rows.append(
            [
                names.get(definition_id, f"#{definition_id}"),
                _("coupon"),
                issued.get(definition_id, 0),
                row.get("count", 0),
                money((row.get("discount") or 0) + (row.get("shipping") or 0)),
                money(revenue.get(definition_id)),
            ]
        )
    return rows


def top_up_bonus_rows(*, start: date, end: date) -> list[list]:
    zone_start, _unused = day_bounds(start)
    _unused, zone_end = day_bounds(end)
    bonuses = BalanceEntry.objects.filter(
        kind=BalanceEntryKind.TOP_UP_BONUS, created_at__gte=zone_start, created_at__lt=zone_end
    ).aggregate(count=Count("pk"), total=Sum("amount"))
    return [[_("Top-up bonuses"), _("balance bonus"), bonuses["count"], bonuses["count"],
             money(bonuses["total"]), None]]  # fmt: skip


def promotion_report(*, start: date, end: date) -> Report:
    """Rows from each of ``REPORTS_PROMOTION_ROWS`` (dotted paths to f(start, end) -> rows),
    so lucky draws and gifts add their own rows when they exist."""
    table = Table(_("Promotion results"), [_(header) for header in PROMOTION_HEADERS])
    for path in settings.REPORTS_PROMOTION_ROWS:
        table.rows.extend(import_string(path)(start=start, end=end))
    chart = Chart(
        _("Discount or bonus paid, and revenue it came with"),
        "bar",
        [str(row[0]) for row in table.rows],
        [
            {"label": _("Discount or bonus paid"), "data": [_float(row[4]) for row in table.rows]},
            {"label": _("Revenue of paid orders"), "data": [_float(row[5]) for row in table.rows]},
        ],
    )
    return Report([table], [chart])


# --- customers ---------------------------------------------------------------------------------


def customer_report(*, start: date, end: date, top: int = 50) -> Report:
    facts = PaidOrderFact.objects.filter(paid_day__gte=start, paid_day__lte=end)
    totals = facts.aggregate(
        orders=Count("pk"),
        customers=Count("customer_id", distinct=True),
        revenue=Sum("revenue"),
        cost=Sum("cost"),
        costed=Sum("costed_revenue"),
    )
    per_customer = facts.order_by().values("customer_id").annotate(
        orders=Count("pk"),
        revenue=Sum("revenue"),
        cost=Sum("cost"),
        costed=Sum("costed_revenue"),
    )  # fmt: skip
    repeaters = per_customer.filter(orders__gte=2).count()
    best = list(per_customer.order_by("-revenue", "customer_id")[:top])
    revenue = money(totals["revenue"])
    summary = Table(
        _("Customers"),
        [
            _("Paid orders"),
            _("Customers who paid"),
            _("Revenue"),
            _("Average order value"),
            _("Repeat rate %"),
            _("Gross margin %"),
        ],  # fmt: skip
        [
            [
                totals["orders"],
                totals["customers"],
                revenue,
                money(revenue / totals["orders"]) if totals["orders"] else None,
                share(repeaters, totals["customers"]),
                margin(totals["costed"] or ZERO, totals["cost"] or ZERO),
            ]
        ],  # fmt: skip
    )
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=[row["customer_id"] for row in best]).select_related(
            "profile"
        )
    }
    top_table = Table(
        _("Top customers by revenue"),
        [
            _("Customer"),
            _("Company"),
            _("Paid orders"),
            _("Revenue"),
            _("Average order value"),
            _("Gross margin %"),
        ],  # fmt: skip
    )
    for row in best:
        user = users.get(row["customer_id"])
        profile = getattr(user, "profile", None) if user else None
        top_table.rows.append(
            [
                user.email if user else f"#{row['customer_id']}",
                profile.company_name if profile else "",
                row["orders"],
                money(row["revenue"]),
                money(row["revenue"] / row["orders"]),
                margin(row["costed"] or ZERO, row["cost"] or ZERO),
            ]
        )
    chart_rows = top_table.rows[:15]
    chart = Chart(
        _("Top customers by revenue"),
        "bar",
        [row[0] for row in chart_rows],
        [{"label": _("Revenue"), "data": [_float(row[3]) for row in chart_rows]}],
        horizontal=True,
    )
    notes = [_("Repeat rate: customers with two or more paid orders in the period.")]
    return Report([summary, top_table], [chart], notes)
