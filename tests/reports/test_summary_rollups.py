"""The per-customer summaries and the catalog counts give the reports the numbers that
counting orders and parts on every request gave, on generated data."""

import io
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Stock
from orders.models import Order, OrderStatus
from reports import rollups, selectors
from reports.models import CustomerOrderSummary, IdlePartDaily, PaidOrderFact, PartGroupDaily
from tests.customers.factories import CustomerFactory
from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory, StockFactory
from tests.promotions.factories import FirstOrderDefinitionFactory, issued
from tests.reports.helpers import at, paid_order, refresh

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 1, 1)


def cohort_rows_from_orders(start: date, end: date) -> list[list]:
    """The cohort table as it was counted before the summaries: every paid-order fact of
    the months' sign-ups, walked customer by customer."""
    from customers.models import User

    zone_start, _ = rollups.day_bounds(start.replace(day=1))
    _, zone_end = rollups.day_bounds(end)
    joined = dict(
        User.objects.filter(
            date_joined__gte=zone_start, date_joined__lt=zone_end, is_staff=False
        ).values_list("pk", "date_joined")
    )
    orders = defaultdict(list)
    for fact in PaidOrderFact.objects.filter(customer_id__in=joined).order_by(
        "customer_id", "paid_at", "order_id"
    ):
        orders[fact.customer_id].append(fact)
    groups = defaultdict(lambda: {"customers": 0, "buyers": 0, "revenue": D(0), "cost": D(0),
                                  "costed": D(0), 30: 0, 90: 0, 180: 0})  # fmt: skip
    for customer_id, when in joined.items():
        mine = orders[customer_id]
        month = timezone.localtime(when).date().replace(day=1)
        group = groups[(month, any(fact.first_order_coupon for fact in mine))]
        group["customers"] += 1
        if mine:
            group["buyers"] += 1
        if len(mine) > 1:
            for days in (30, 90, 180):
                group[days] += mine[1].paid_at - mine[0].paid_at <= timedelta(days=days)
        for fact in mine:
            group["revenue"] += fact.revenue
            group["cost"] += fact.cost
            group["costed"] += fact.costed_revenue
    rows = []
    for month in sorted({month for month, _ in groups}):
        total = groups[(month, True)]["customers"] + groups[(month, False)]["customers"]
        for used in (True, False):
            group = groups[(month, used)]
            rows.append(
                [month.strftime("%Y-%m"),
                 "used the first-order coupon" if used else "did not use it",
                 group["customers"], selectors.share(group["customers"], total), group["buyers"],
                 *[selectors.share(group[days], group["buyers"]) for days in (30, 90, 180)],
                 selectors.money(group["revenue"]),
                 selectors.margin(group["costed"], group["cost"])]
            )  # fmt: skip
    return rows


@pytest.fixture
def generated_year():
    """40 customers joined over five months, half issued the first-order coupon; 120 paid
    orders of one to three lines on random days (a holder's first order uses the coupon),
    some cancelled; parts from two categories and makers, some with no cost known, the
    last two on hand and never sold."""
    rng = random.Random(20261202)
    categories = [CategoryFactory(name=f"Group {n}", slug=f"group-{n}") for n in range(2)]
    makers = [ManufacturerFactory(name=f"Maker {n}", slug=f"maker-{n}") for n in range(2)]
    parts = []
    for n in range(12):
        part = PartFactory(category=categories[n % 2], manufacturer=makers[n // 6])
        if n % 4:
            StockFactory(part=part, on_hand=rng.randint(1, 5000))
            cost = None if n % 5 == 0 else D(rng.randint(10, 300)) / 100
            Stock.objects.filter(part=part).update(unit_cost=cost)
        parts.append(part)
    welcome = FirstOrderDefinitionFactory()
    customers, coupons = [], {}
    for n in range(40):
        customer = CustomerFactory(date_joined=at(FIRST_DAY + timedelta(days=n * 4)))
        customers.append(customer)
        if n % 2:
            coupons[customer.pk] = issued(welcome, user=customer)
    days = set()
    for _ in range(120):
        customer = rng.choice(customers[:34])  # the last six never order
        joined = customer.date_joined.date()
        paid_on = joined + timedelta(days=rng.randint(0, 200))
        lines = [(part, quantity, f"{quantity * rng.randint(1, 40)}.00", quantity)
                 for part in rng.sample(parts[:10], rng.randint(1, 3))
                 for quantity in [rng.randint(1, 50)]]  # fmt: skip
        paid_order(customer, lines, paid_on=paid_on, coupon=coupons.pop(customer.pk, None),
                   status=OrderStatus.CANCELLED if rng.random() < 0.1 else OrderStatus.PAID)
        days.add(paid_on)
    refresh(*sorted(days))
    return sorted(days)


def test_cohorts_from_the_summaries_match_the_orders(generated_year):
    start, end = date(2026, 1, 1), date(2026, 5, 31)

    report = selectors.cohort_report(start=start, end=end)

    assert report.tables[0].rows == cohort_rows_from_orders(start, end)
    assert len(report.tables[0].rows) == 10


def test_cohorts_of_some_months_match_the_orders(generated_year):
    start, end = date(2026, 2, 10), date(2026, 3, 31)

    assert selectors.cohort_report(start=start, end=end).tables[0].rows == (
        cohort_rows_from_orders(start, end)
    )


def test_rebuilding_every_customer_gives_the_same_summaries(generated_year):
    def summaries():
        return sorted(
            CustomerOrderSummary.objects.values_list(
                "customer_id", "signup_month", "first_paid_at", "second_paid_at",
                "used_first_order_coupon", "paid_orders", "revenue", "cost", "costed_revenue",
            )
        )  # fmt: skip

    by_day = summaries()

    rollups.customer_summaries_refresh()
    rollups.customer_summaries_refresh()

    assert summaries() == by_day
    assert len(by_day) == len(set(PaidOrderFact.objects.values_list("customer_id", flat=True)))


def test_a_refunded_first_order_moves_the_customer_to_the_next_one(cohorts):
    # given ann's coupon order of 10 January is cancelled (refunded) and the day rebuilt
    ann = cohorts["ann"]
    first = Order.objects.get(customer=ann, paid_at=at(date(2026, 1, 10)))
    Order.objects.filter(pk=first.pk).update(status=OrderStatus.CANCELLED)

    refresh(date(2026, 1, 10))

    summary = CustomerOrderSummary.objects.get(customer_id=ann.pk)
    assert (summary.paid_orders, summary.first_paid_at, summary.second_paid_at) == (
        1, at(date(2026, 2, 5)), None)  # fmt: skip
    assert not summary.used_first_order_coupon
    assert summary.revenue == D("50.00")


def test_refresh_reports_sums_up_customers_whose_orders_are_older_than_the_days(cohorts):
    CustomerOrderSummary.objects.all().delete()

    call_command("refresh_reports", "--days", "1", "--no-flush", stdout=io.StringIO())

    assert set(CustomerOrderSummary.objects.values_list("customer_id", flat=True)) == {
        cohorts["ann"].pk, cohorts["bob"].pk, cohorts["dee"].pk}  # fmt: skip


@pytest.mark.parametrize("by", ["category", "manufacturer"])
def test_sell_through_from_the_catalog_counts_matches_counting_the_catalog(generated_year, by):
    today = generated_year[-1] + timedelta(days=10)
    start = today - timedelta(days=365)
    counted = selectors.sell_through_report(start=start, end=today, by=by, today=today)

    rollups.part_groups_refresh(day=today)
    kept = selectors.sell_through_report(start=start, end=today, by=by, today=today)

    assert PartGroupDaily.objects.filter(day=today, grouping=by).exists()
    assert IdlePartDaily.objects.filter(day=today).exists()
    assert kept.tables[0].rows == counted.tables[0].rows
    assert kept.tables[1].rows == counted.tables[1].rows
    assert sum(row[8] for row in kept.tables[0].rows) == len(kept.tables[1].rows) > 0


def test_the_rebuild_counts_the_catalog_of_its_last_day(generated_year):
    today = generated_year[-1]

    rollups.rollups_refresh(days=2, until=today)
    rollups.rollups_refresh(days=2, until=today)

    listed = dict(
        PartGroupDaily.objects.filter(day=today, grouping="category").values_list(
            "group_id", "listed"
        )
    )
    assert sorted(listed.values()) == [6, 6]


def test_customers_report_matches_the_orders_of_the_period(generated_year):
    start, end = date(2026, 2, 1), date(2026, 6, 30)
    per_customer = defaultdict(list)
    for fact in PaidOrderFact.objects.filter(paid_day__gte=start, paid_day__lte=end):
        per_customer[fact.customer_id].append(fact.revenue)

    report = selectors.customer_report(start=start, end=end, top=5)

    repeaters = sum(1 for revenues in per_customer.values() if len(revenues) >= 2)
    assert report.tables[0].rows[0][4] == selectors.share(repeaters, len(per_customer))
    best = sorted(per_customer.items(), key=lambda item: (-sum(item[1]), item[0]))[:5]
    assert [row[2:4] for row in report.tables[1].rows] == [
        [len(revenues), sum(revenues)] for _customer, revenues in best
    ]
