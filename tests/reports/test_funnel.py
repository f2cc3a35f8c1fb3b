"""The funnel: visitors → part viewers → inquiries → carts → orders → paid, per period and
source, from the daily rollup."""

from datetime import date, time
from decimal import Decimal as D

import pytest

from customers.models import EventKind
from reports import selectors
from reports.models import TrafficDaily
from tests.customers.factories import CustomerFactory
from tests.reports.helpers import event, refresh

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


@pytest.fixture
def two_days():
    """Monday: a customer from Google views, asks a quote, carts, orders and pays; an
    anonymous ChatGPT visitor views two parts; a direct visitor only searches; the order of
    a customer paid by bank transfer (no visit that day) is recorded by the store.
    Tuesday: the ChatGPT visitor (a new visitor-day) views and carts."""
    buyer, transfer = CustomerFactory(), CustomerFactory()
    g = {"channel": "search", "source": "google"}
    event(EventKind.PART_VIEW, day=MONDAY, customer=buyer, clock=time(9), **g, part_id=1)
    for kind in (EventKind.INQUIRY, EventKind.CART_ADD, EventKind.CHECKOUT_START):
        event(kind, day=MONDAY, customer=buyer, clock=time(10), channel="internal")
    event(EventKind.ORDER_PLACED, day=MONDAY, customer=buyer, clock=time(11), channel="")
    event(EventKind.ORDER_PAID, day=MONDAY, customer=buyer, clock=time(11), channel="")
    ai = {"channel": "ai", "source": "chatgpt"}
    event(EventKind.PART_VIEW, day=MONDAY, visitor="aaaa", **ai, part_id=1)
    event(EventKind.PART_VIEW, day=MONDAY, visitor="aaaa", channel="internal", part_id=2)
    event(EventKind.SEARCH, day=MONDAY, visitor="bbbb", query="X", result_count=0)
    event(EventKind.ORDER_PAID, day=MONDAY, customer=transfer, channel="")
    event(EventKind.PART_VIEW, day=TUESDAY, visitor="cccc", **ai, part_id=3)
    event(EventKind.CART_ADD, day=TUESDAY, visitor="cccc", channel="internal", part_id=3)
    refresh(MONDAY, TUESDAY)


def test_each_visitor_day_is_counted_once_under_its_first_outside_source(two_days):
    rows = {
        (row.channel, row.source): row for row in TrafficDaily.objects.filter(day=MONDAY)
    }

    assert set(rows) == {("search", "google"), ("ai", "chatgpt"), ("direct", "")}
    google, ai, direct = rows["search", "google"], rows["ai", "chatgpt"], rows["direct", ""]
    assert (google.visitors, google.part_viewers, google.inquirers, google.carters,
            google.orderers, google.payers) == (1, 1, 1, 1, 1, 1)  # fmt: skip
    assert (ai.visitors, ai.part_viewers, ai.part_views) == (1, 1, 2)
    # the direct row: the searcher, and the bank-transfer payer who made no visit
    assert (direct.visitors, direct.searchers, direct.zero_result_searches, direct.payers) == (
        1, 1, 1, 1,
    )  # fmt: skip


def test_daily_funnel_has_counts_and_step_conversion(two_days):
    report = selectors.funnel_report(start=MONDAY, end=TUESDAY, grain="day")
    monday, tuesday = report.tables[0].rows

    # visitors 3; part viewers 2 (2/3 = 66.7 %); inquiries 1 (1/2 = 50 %); carts 1 (100 %);
    # orders 1 (100 %); paid 2 (200 %: one paid without a visit); paid / visitors 66.7 %
    assert monday == ["2026-03-02", 3, 2, D("66.7"), 1, D("50.0"), 1, D("100.0"), 1,
                      D("100.0"), 2, D("200.0"), D("66.7")]  # fmt: skip
    assert tuesday[:8] == ["2026-03-03", 1, 1, D("100.0"), 0, D("0.0"), 1, None]


def test_weekly_funnel_adds_up_its_days(two_days):
    [week] = selectors.funnel_report(start=MONDAY, end=TUESDAY, grain="week").tables[0].rows

    assert week[:3] == ["2026-03-02", 4, 3]


def test_funnel_of_one_source(two_days):
    report = selectors.funnel_report(start=MONDAY, end=TUESDAY, grain="month", source="ai")
    [month] = report.tables[0].rows

    assert month[:3] == ["2026-03-01", 2, 2]
    assert [row[:3] for row in report.tables[1].rows] == [["ai", "chatgpt", 2]]


def test_refreshing_a_day_twice_changes_nothing(two_days):
    before = list(TrafficDaily.objects.order_by("day", "channel").values())
    refresh(MONDAY)

    after = list(TrafficDaily.objects.order_by("day", "channel").values())
    assert [dict(row, id=0) for row in after] == [dict(row, id=0) for row in before]
