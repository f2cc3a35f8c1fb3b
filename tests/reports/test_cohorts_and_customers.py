"""First-order coupon cohorts, and the customers report (top customers, AOV, repeat)."""

from datetime import date
from decimal import Decimal as D

import pytest

from reports import selectors

pytestmark = pytest.mark.django_db


def test_cohorts_compare_coupon_users_with_the_rest(cohorts):
    report = selectors.cohort_report(start=date(2026, 1, 1), end=date(2026, 2, 28))
    rows = report.tables[0].rows

    # January: 1 of 3 used the coupon; ann's second order came 26 days after her first
    # (within 30, 90 and 180), bob's 106 days after (within 180 only); cid bought nothing.
    # ann: 150.00 revenue, 60.00 cost -> 60 %; bob: 120.00, 60.00 -> 50 %.
    assert rows[0] == ["2026-01", "used the first-order coupon", 1, D("33.3"), 1,
                       D("100.0"), D("100.0"), D("100.0"), D("150.00"), D("60.0")]  # fmt: skip
    assert rows[1] == ["2026-01", "did not use it", 2, D("66.7"), 1,
                       D("0.0"), D("0.0"), D("100.0"), D("120.00"), D("50.0")]  # fmt: skip
    # February: dee alone, one order of 200.00 at a cost of 40.00
    assert rows[2] == ["2026-02", "used the first-order coupon", 1, D("100.0"), 1,
                       D("0.0"), D("0.0"), D("0.0"), D("200.00"), D("80.0")]  # fmt: skip
    assert rows[3] == ["2026-02", "did not use it", 0, D("0.0"), 0,
                       None, None, None, D("0.00"), None]  # fmt: skip


def test_cohorts_leave_out_customers_who_signed_up_outside_the_months(cohorts):
    report = selectors.cohort_report(start=date(2026, 2, 1), end=date(2026, 2, 28))

    assert [row[:3] for row in report.tables[0].rows] == [
        ["2026-02", "used the first-order coupon", 1],
        ["2026-02", "did not use it", 0],
    ]


def test_customers_report_has_aov_repeat_rate_and_top_customers(cohorts):
    report = selectors.customer_report(start=date(2026, 1, 1), end=date(2026, 5, 31))
    [summary] = report.tables[0].rows

    # 5 paid orders of 3 customers for 470.00: AOV 94.00; ann and bob ordered twice: 2/3;
    # cost 5 × … = 160.00: (470 - 160) / 470 = 66.0 %
    assert summary == [5, 3, D("470.00"), D("94.00"), D("66.7"), D("66.0")]
    assert [row[:4] for row in report.tables[1].rows] == [
        ["dee@example.com", "Acme Robotics", 1, D("200.00")],
        ["ann@example.com", "Acme Robotics", 2, D("150.00")],
        ["bob@example.com", "Acme Robotics", 2, D("120.00")],
    ]


def test_customers_report_counts_only_orders_paid_in_the_period(cohorts):
    report = selectors.customer_report(start=date(2026, 2, 1), end=date(2026, 2, 28))

    # ann's second order (50.00) and dee's (200.00); nobody ordered twice in February
    assert report.tables[0].rows[0][:5] == [2, 2, D("250.00"), D("125.00"), D("0.0")]
