"""Sell-through (动销率): listed parts against parts sold, revenue, margin and idle stock."""

from datetime import date
from decimal import Decimal as D

import pytest

from catalog.models import Stock, Supplier, SupplierOffer
from orders.models import OrderStatus
from reports import selectors
from tests.customers.factories import CustomerFactory
from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory, StockFactory
from tests.reports.helpers import paid_order, refresh

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 1), date(2026, 3, 31)


@pytest.fixture
def catalog_and_sales():
    """Resistors (YAGEO): r1 (cost 0.50), r2 (no cost known), r3 (none on hand), r4 (on
    hand, never sold). Capacitors (Murata): c1 from a supplier at 2.00, c2 on hand, last
    sold 100 days before the end of the period."""
    resistors = CategoryFactory(name="Resistors", slug="resistors")
    capacitors = CategoryFactory(name="Capacitors", slug="capacitors")
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    murata = ManufacturerFactory(name="Murata", slug="murata")
    r1, r2, r3, r4 = (PartFactory(category=resistors, manufacturer=yageo) for _ in range(4))
    c1, c2 = (PartFactory(category=capacitors, manufacturer=murata) for _ in range(2))
    for part, on_hand, cost in ((r1, 1000, "0.50"), (r2, 500, None), (r4, 200, "1.00"),
                                (c2, 50, "3.00")):  # fmt: skip
        StockFactory(part=part, on_hand=on_hand)
        Stock.objects.filter(part=part).update(unit_cost=cost and D(cost))
    supplier = Supplier.objects.create(name="Avnet", code="avnet")
    offer = SupplierOffer.objects.create(
        part=c1, supplier=supplier, quantity=1000, lead_days=5, cost=D("2.00")
    )
    buyer = CustomerFactory()
    paid_order(buyer, [(r1, 100, "100.00", 100)], paid_on=date(2026, 3, 5))
    paid_order(buyer, [(r1, 10, "12.00", 10), (r2, 20, "30.00", 20)], paid_on=date(2026, 3, 6))
    paid_order(buyer, [(c1, 5, "20.00", 0, offer)], paid_on=date(2026, 3, 6))
    paid_order(buyer, [(r3, 7, "9.00", 7)], paid_on=date(2026, 3, 7),
               status=OrderStatus.CANCELLED)  # fmt: skip
    paid_order(buyer, [(c2, 1, "4.00", 1)], paid_on=date(2025, 12, 21))
    refresh(date(2025, 12, 21), date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 7))


def test_sell_through_by_category(catalog_and_sales):
    report = selectors.sell_through_report(start=START, end=END, by="category", today=END)
    rows = {row[0]: row for row in report.tables[0].rows}

    # resistors: 2 of 4 parts sold (the cancelled order does not count); 130 pieces for
    # 142.00; cost 50 + 5 (r2's cost is unknown, so its 30.00 stays out of the margin):
    # (112 - 55) / 112 = 50.9 %; on hand and unsold for 90 days: r4
    assert rows["resistors"] == [
        "resistors", 4, 2, D("50.0"), 130, D("142.00"), D("55.00"), D("50.9"), 1,
    ]  # fmt: skip
    # capacitors: c1 sold 5 from the supplier at 2.00: (20 - 10) / 20; c2 idle
    assert rows["capacitors"] == [
        "capacitors", 2, 1, D("50.0"), 5, D("20.00"), D("10.00"), D("50.0"), 1,
    ]  # fmt: skip


def test_sell_through_by_manufacturer_groups_the_same_sales(catalog_and_sales):
    report = selectors.sell_through_report(start=START, end=END, by="manufacturer", today=END)

    assert [row[:4] for row in report.tables[0].rows] == [
        ["Murata", 2, 1, D("50.0")],
        ["YAGEO", 4, 2, D("50.0")],
    ]


def test_idle_stock_lists_parts_on_hand_with_no_sale_in_90_days(catalog_and_sales):
    report = selectors.sell_through_report(start=START, end=END, today=END)
    idle = report.tables[1].rows

    # r4: 200 on hand at 1.00; c2: 50 at 3.00 (its last sale was 100 days ago)
    assert [(row[4], row[5], row[6]) for row in idle] == [
        (200, D("1.000000"), D("200.00")),
        (50, D("3.000000"), D("150.00")),
    ]
