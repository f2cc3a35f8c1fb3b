"""Rebuilding the daily rollups, one store-local day at a time.

``rollups_refresh(days=...)`` deletes a day's rows and writes them again from raw events,
orders, BOMs and quote requests, in one transaction per day: safe to run twice, and a day
refreshed later (a refund, a late event) simply replaces what it had. The beat job refreshes
today and yesterday every 15 minutes and the last ``REPORTS_NIGHTLY_DAYS`` once a night;
``manage.py refresh_reports --days N`` rebuilds further back.

Two rollups are not per day of activity: each customer's paid orders summed up (for the
cohorts), refreshed for the customers a rebuilt day touched (for all of them by
``refresh_reports``), and the catalog's parts listed and idle per category and manufacturer,
counted when the last day of a rebuild is refreshed (for sell-through).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from catalog.models import Part, Stock, normalize_mpn, normalize_name
from customers.models import BehaviourEvent, EventKind, User
from orders.models import BomLine, BomMatch, InquiryLine, Order, OrderLine, OrderLineSupply
from orders.status import PAID_STATES
from promotions.models import Coupon

from .models import (
    CustomerOrderSummary,
    DemandDaily,
    DemandOrigin,
    IdlePartDaily,
    PaidOrderFact,
    PartGroupDaily,
    PartGrouping,
    PartSalesDaily,
    TrafficDaily,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
_LEADING_LETTERS = re.compile(r"^[A-Z]+")
UNSOLD_DAYS = 90
IDLE_PARTS_LISTED = 200


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The store-local day as an aware [start, end) range."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def mpn_prefix(normalized: str) -> str:
    """The letters a part number starts with ("STM32F103C8T6" -> "STM", "GRM188" -> "GRM"):
    the series, which mostly tells the manufacturer. Numbers-first MPNs keep 3 characters."""
    match = _LEADING_LETTERS.match(normalized)
    return (match.group(0) if match else normalized[:3])[:8]


# --- traffic -----------------------------------------------------------------------------------

_STAGE = {
    EventKind.PART_VIEW: "part_viewers",
    EventKind.SEARCH: "searchers",
    EventKind.INQUIRY: "inquirers",
    EventKind.CART_ADD: "carters",
    EventKind.CHECKOUT_START: "checkouts",
    EventKind.ORDER_PLACED: "orderers",
    EventKind.ORDER_PAID: "payers",
}
_OUTSIDE = ("search", "ai", "campaign", "referral", "direct")


@dataclass
class _Actor:
    source: tuple[str, str] | None = None
    visited: bool = False
    stages: set = field(default_factory=set)
    part_views: int = 0
    searches: int = 0
    zero_searches: int = 0


def traffic_rows(day: date) -> list[TrafficDaily]:
    start, end = day_bounds(day)
    actors: dict[str, _Actor] = defaultdict(_Actor)
    events = (
        BehaviourEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .order_by("occurred_at", "pk")
        .values_list("kind", "customer_id", "visitor_id", "channel", "source", "result_count")
    )
    for kind, customer_id, visitor_id, channel, source, result_count in events.iterator(
        chunk_size=5000
    ):
        actor = actors[f"c{customer_id}" if customer_id else f"v{visitor_id}"]
        if channel:
            actor.visited = True
            if actor.source is None and channel in _OUTSIDE:
                actor.source = (channel, source)
        actor.stages.add(kind)
        if kind == EventKind.PART_VIEW:
            actor.part_views += 1
        elif kind == EventKind.SEARCH:
            actor.searches += 1
            if result_count == 0:
                actor.zero_searches += 1
    rows: dict[tuple[str, str], TrafficDaily] = {}
    for actor in actors.values():
        channel, source = actor.source or ("direct", "")
        row = rows.get((channel, source))
        if row is None:
            row = rows[(channel, source)] = TrafficDaily(day=day, channel=channel, source=source)
        row.visitors += actor.visited
        for kind in actor.stages:
            if kind in _STAGE:
                setattr(row, _STAGE[kind], getattr(row, _STAGE[kind]) + 1)
        row.part_views += actor.part_views
        row.searches += actor.searches
        row.zero_result_searches += actor.zero_searches
    return list(rows.values())


# --- sales -------------------------------------------------------------------------------------


@dataclass
class _LineCost:
    cost: Decimal = ZERO
    known: bool = True


def _line_costs(lines: list[dict]) -> dict[int, _LineCost]:
    """What each order line's goods cost us: pieces from own stock at the stock's unit
    cost, pieces from suppliers at the cost of the offer they came from. A line with any
    piece of unknown cost has no cost (and its revenue is left out of the margin)."""
    part_ids = {line["part_id"] for line in lines if line["part_id"]}
    stock_cost = dict(
        Stock.objects.filter(part_id__in=part_ids).values_list("part_id", "unit_cost")
    )
    supplies = defaultdict(list)
    for line_id, quantity, cost in OrderLineSupply.objects.filter(
        line_id__in=[line["id"] for line in lines]
    ).values_list("line_id", "quantity", "offer__cost"):
        supplies[line_id].append((quantity, cost))
    costs: dict[int, _LineCost] = {}
    for line in lines:
        result = _LineCost()
        if line["from_stock"]:
            unit = stock_cost.get(line["part_id"])
            if unit is None:
                result.known = False
            else:
                result.cost += unit * line["from_stock"]
        supplied = 0
        for quantity, cost in supplies.get(line["id"], ()):
            supplied += quantity
            if cost is None:
                result.known = False
            else:
                result.cost += cost * quantity
        if line["from_stock"] + supplied < line["quantity"]:
            result.known = False  # pieces nobody costed
        costs[line["id"]] = result
    return costs


def sales_rows(day: date) -> tuple[list[PaidOrderFact], list[PartSalesDaily]]:
    start, end = day_bounds(day)
    orders = list(
        Order.objects.filter(paid_at__gte=start, paid_at__lt=end, status__in=PAID_STATES)
        .order_by("pk")
        .values("id", "customer_id", "paid_at", "coupon_id", "discount")
    )
    if not orders:
        return [], []
    order_ids = [order["id"] for order in orders]
    lines = list(
        OrderLine.objects.filter(order_id__in=order_ids).values(
            "id",
            "order_id",
            "part_id",
            "quantity",
            "net",
            "from_stock",
            "part__category_id",
            "part__manufacturer_id",
        )  # fmt: skip
    )
    costs = _line_costs(lines)
    coupons = {
        coupon["id"]: coupon
        for coupon in Coupon.objects.filter(
            pk__in={order["coupon_id"] for order in orders if order["coupon_id"]}
        ).values("id", "definition_id", "is_first_order")
    }
    per_order: dict[int, list] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    per_part: dict[int, PartSalesDaily] = {}
    for line in lines:
        cost = costs[line["id"]]
        totals = per_order[line["order_id"]]
        totals[0] += line["net"]
        if cost.known:
            totals[1] += cost.cost
            totals[2] += line["net"]
        if not line["part_id"]:
            continue
        row = per_part.get(line["part_id"])
        if row is None:
            row = per_part[line["part_id"]] = PartSalesDaily(
                day=day,
                part_id=line["part_id"],
                category_id=line["part__category_id"],
                manufacturer_id=line["part__manufacturer_id"],
                quantity=0,
                revenue=ZERO,
                cost=ZERO,
                costed_revenue=ZERO,
            )
        row.quantity += line["quantity"]
        row.revenue += line["net"]
        if cost.known:
            row.cost += cost.cost
            row.costed_revenue += line["net"]
    facts = []
    for order in orders:
        revenue, cost, costed = per_order[order["id"]]
        coupon = coupons.get(order["coupon_id"]) or {}
        facts.append(
            PaidOrderFact(
                order_id=order["id"],
                customer_id=order["customer_id"],
                paid_at=order["paid_at"],
                paid_day=day,
                revenue=revenue.quantize(CENT),
                cost=cost.quantize(MICRO),
                costed_revenue=costed.quantize(CENT),
                coupon_id=order["coupon_id"],
                coupon_definition_id=coupon.get("definition_id"),
                first_order_coupon=bool(coupon.get("is_first_order")),
                discount=order["discount"],
            )
        )
    for row in per_part.values():
        row.cost = row.cost.quantize(MICRO)
    return facts, list(per_part.values())


# --- demand ------------------------------------------------------------------------------------


def demand_rows(day: date) -> list[DemandDaily]:
    start, end = day_bounds(day)
    counts: dict[tuple, int] = defaultdict(int)

    def add(origin: str, mpn: str, manufacturer: str, customer_id: int | None) -> None:
        normalized = normalize_mpn(mpn)[:100]
        if len(normalized) < 3:
            return
        counts[(origin, normalized, normalize_name(manufacturer)[:120], customer_id or 0)] += 1

    searches = BehaviourEvent.objects.filter(
        kind=EventKind.SEARCH, result_count=0, occurred_at__gte=start, occurred_at__lt=end
    ).values_list("query", "customer_id")
    for query, customer_id in searches.iterator(chunk_size=5000):
        add(DemandOrigin.SEARCH, query, "", customer_id)
    bom_lines = BomLine.objects.filter(
        match=BomMatch.NOT_FOUND, bom__created_at__gte=start, bom__created_at__lt=end
    ).values_list("mpn", "manufacturer", "bom__customer_id")
    for mpn, manufacturer, customer_id in bom_lines.iterator(chunk_size=5000):
        add(DemandOrigin.BOM, mpn, manufacturer, customer_id)
    inquiry_lines = InquiryLine.objects.filter(
        part__isnull=True, inquiry__created_at__gte=start, inquiry__created_at__lt=end
    ).values_list("mpn", "manufacturer", "inquiry__customer_id")
    for mpn, manufacturer, customer_id in inquiry_lines.iterator(chunk_size=5000):
        add(DemandOrigin.INQUIRY, mpn, manufacturer, customer_id)
    return [
        DemandDaily(
            day=day,
            origin=origin,
            normalized_mpn=mpn,
            prefix=mpn_prefix(mpn),
            manufacturer=manufacturer,
            customer_id=customer_id,
            asks=asks,
        )
        for (origin, mpn, manufacturer, customer_id), asks in counts.items()
    ]


# --- customers ---------------------------------------------------------------------------------


def customer_summaries_refresh(*, customer_ids=None) -> int:
    """Sum up again the paid orders of ``customer_ids`` (every customer when None) from
    PaidOrderFact; a customer left with no paid order loses their summary."""
    facts = PaidOrderFact.objects.order_by("customer_id", "paid_at", "order_id")
    summaries = CustomerOrderSummary.objects.all()
    if customer_ids is not None:
        customer_ids = sorted(set(customer_ids))
        facts = facts.filter(customer_id__in=customer_ids)
        summaries = summaries.filter(customer_id__in=customer_ids)
    rows: dict[int, CustomerOrderSummary] = {}
    for customer_id, paid_at, revenue, cost, costed, first_coupon in facts.values_list(
        "customer_id", "paid_at", "revenue", "cost", "costed_revenue", "first_order_coupon"
    ).iterator(chunk_size=5000):
        row = rows.get(customer_id)
        if row is None:
            row = rows[customer_id] = CustomerOrderSummary(
                customer_id=customer_id, first_paid_at=paid_at, revenue=ZERO, cost=ZERO,
                costed_revenue=ZERO,
            )  # fmt: skip
        elif row.second_paid_at is None:
            row.second_paid_at = paid_at
        row.paid_orders += 1
        row.used_first_order_coupon = row.used_first_order_coupon or first_coupon
        row.revenue += revenue
        row.cost += cost
        row.costed_revenue += costed
    joined = dict(User.objects.filter(pk__in=list(rows)).values_list("pk", "date_joined"))
    for customer_id, row in list(rows.items()):
        if customer_id not in joined:
            del rows[customer_id]  # the account is gone; the cohorts cannot place it
            continue
        row.signup_month = timezone.localtime(joined[customer_id]).date().replace(day=1)
    with transaction.atomic():
        summaries.delete()
        CustomerOrderSummary.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)


# --- catalog -----------------------------------------------------------------------------------


def unsold_stocked_parts(*, today: date):
    """Parts on hand that sold nothing in the ``UNSOLD_DAYS`` days up to ``today``."""
    since = today - timedelta(days=UNSOLD_DAYS)
    recent = PartSalesDaily.objects.filter(day__gt=since).values("part_id")
    return Part.objects.filter(stock_available__gt=0).exclude(pk__in=recent)


def part_group_counts(*, grouping: str, today: date) -> tuple[dict, dict]:
    """Parts listed and parts idle (``unsold_stocked_parts``) per category or manufacturer,
    counted now."""
    key = "manufacturer_id" if grouping == PartGrouping.MANUFACTURER else "category_id"
    listed = dict(Part.objects.order_by().values_list(key).annotate(count=Count("pk")))
    idle = dict(
        unsold_stocked_parts(today=today).order_by().values_list(key).annotate(count=Count("pk"))
    )
    return listed, idle


def part_groups_refresh(*, day: date) -> int:
    """Replace the catalog counts and the idle-part list kept for ``day`` with the catalog
    as it stands now."""
    groups = []
    for grouping in PartGrouping.values:
        listed, idle = part_group_counts(grouping=grouping, today=day)
        groups += [
            PartGroupDaily(day=day, grouping=grouping, group_id=group_id,
                           listed=listed.get(group_id, 0), idle=idle.get(group_id, 0))
            for group_id in set(listed) | set(idle)
        ]  # fmt: skip
    idle_ids = unsold_stocked_parts(today=day).order_by("-stock_available", "pk").values_list(
        "pk", flat=True
    )[:IDLE_PARTS_LISTED]
    idle_parts = [
        IdlePartDaily(day=day, position=position, part_id=part_id)
        for position, part_id in enumerate(idle_ids, start=1)
    ]
    with transaction.atomic():
        PartGroupDaily.objects.filter(day=day).delete()
        IdlePartDaily.objects.filter(day=day).delete()
        PartGroupDaily.objects.bulk_create(groups, batch_size=2000)
        IdlePartDaily.objects.bulk_create(idle_parts)
    return len(groups)


# --- refreshing --------------------------------------------------------------------------------


def rollup_day_refresh(*, day: date, customers: bool = True) -> dict[str, int]:
    """Replace one day's rows of every rollup, and (``customers``) the summaries of the
    customers whose paid orders the day had before or has now."""
    traffic = traffic_rows(day)
    facts, part_sales = sales_rows(day)
    demand = demand_rows(day)
    with transaction.atomic():
        touched = set(
            PaidOrderFact.objects.filter(paid_day=day).values_list("customer_id", flat=True)
        ) | {fact.customer_id for fact in facts}
        TrafficDaily.objects.filter(day=day).delete()
        PaidOrderFact.objects.filter(paid_day=day).delete()
        PartSalesDaily.objects.filter(day=day).delete()
        DemandDaily.objects.filter(day=day).delete()
        # An order refreshed on another day (paid again after a correction) is moved here.
        PaidOrderFact.objects.filter(order_id__in=[fact.order_id for fact in facts]).delete()
        TrafficDaily.objects.bulk_create(traffic, batch_size=2000)
        PaidOrderFact.objects.bulk_create(facts, batch_size=2000)
        PartSalesDaily.objects.bulk_create(part_sales, batch_size=2000)
        DemandDaily.objects.bulk_create(demand, batch_size=2000)
        if customers:
            customer_summaries_refresh(customer_ids=touched)
    return {
        "traffic": len(traffic),
        "orders": len(facts),
        "part_sales": len(part_sales),
        "demand": len(demand),
    }


def rollups_refresh(
    *, days: int = 2, until: date | None = None, all_customers: bool = False
) -> int:
    """Refresh the last ``days`` store-local days up to ``until`` (today), the summaries of
    the customers they touched (of every customer with ``all_customers``), and the catalog
    counts of ``until``; returns how many days were rebuilt."""
    last = until or timezone.localdate()
    touched: set[int] = set()
    for offset in range(days - 1, -1, -1):
        day = last - timedelta(days=offset)
        touched |= set(
            PaidOrderFact.objects.filter(paid_day=day).values_list("customer_id", flat=True)
        )
        rollup_day_refresh(day=day, customers=False)
        touched |= set(
            PaidOrderFact.objects.filter(paid_day=day).values_list("customer_id", flat=True)
        )
    customer_summaries_refresh(customer_ids=None if all_customers else touched)
    part_groups_refresh(day=last)
    return days
