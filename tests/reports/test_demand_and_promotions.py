"""What to list next (unmatched demand) and promotion results."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from customers import services as customer_services
from customers.models import EventKind
from orders.models import Bom, BomLine, BomMatch
from promotions.models import CouponRedemption
from reports import selectors
from tests.customers.factories import CustomerFactory, TopUpBonusTierFactory
from tests.factories import InquiryFactory, InquiryLineFactory, PartFactory
from tests.promotions.factories import CouponDefinitionFactory, FirstOrderDefinitionFactory, issued
from tests.reports.helpers import event, paid_order, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def demand(today):
    """ann searched STM32F103C8T6 twice with no result, a visitor once, bob once spelt
    "stm32-f103c8t6"; a search that found parts; ann's BOM has a Murata capacitor the
    catalog lacks and a matched line; bob's quote request lists the STM32 (maker "ST")."""
    ann = CustomerFactory(email="ann@example.com")
    bob = CustomerFactory(email="bob@example.com")
    zero = {"kind": EventKind.SEARCH, "day": today, "result_count": 0}
    event(customer=ann, query="STM32F103C8T6", **zero)
    event(customer=ann, query="STM32F103C8T6", **zero)
    event(visitor="v1", query="STM32F103C8T6", **zero)
    event(customer=bob, query="stm32-f103c8t6", **zero)
    event(EventKind.SEARCH, day=today, customer=bob, query="LM358", result_count=3)
    bom = Bom.objects.create(customer=ann)
    BomLine.objects.create(
        bom=bom, row_number=2, mpn="GRM188R71H104KA93D", manufacturer="Murata",
        match=BomMatch.NOT_FOUND,
    )  # fmt: skip
    BomLine.objects.create(
        bom=bom, row_number=3, mpn="LM358DR", match=BomMatch.EXACT, part=PartFactory()
    )
    InquiryLineFactory(
        inquiry=InquiryFactory(customer=bob), mpn="STM32F103C8T6", manufacturer="ST", part=None
    )
    refresh(today)


def test_unlisted_part_numbers_are_grouped_with_who_asked(demand, today):
    report = selectors.demand_report(start=today, end=today)

    # STM32F103C8T6: 4 zero-result searches (two spellings) + 1 quote line, by ann and bob
    # (the visitor is not a customer); the Murata capacitor: 1 BOM line by ann
    assert report.tables[0].rows == [
        ["STM32F103C8T6", 5, 4, 0, 1, "ST", 2, "ann@example.com, bob@example.com"],
        ["GRM188R71H104KA93D", 1, 0, 1, 0, "MURATA", 1, "ann@example.com"],
    ]


def test_unlisted_demand_by_manufacturer_prefix(demand, today):
    report = selectors.demand_report(start=today, end=today)

    assert report.tables[1].rows == [["STM", 5, 1, 2], ["GRM", 1, 1, 1]]


def test_demand_of_another_period_is_left_out(demand, today):
    report = selectors.demand_report(start=today - timedelta(days=9), end=today - timedelta(days=1))

    assert report.tables[0].rows == []


def test_promotion_results_per_coupon_and_top_up_bonuses(today):
    ann, bob = CustomerFactory(), CustomerFactory()
    welcome = FirstOrderDefinitionFactory(name="Welcome")
    spring = CouponDefinitionFactory(name="Spring sale")
    ann_coupon, bob_coupon = issued(welcome, user=ann), issued(welcome, user=bob)
    issued(spring, user=ann)
    CouponRedemption.objects.create(
        coupon=ann_coupon, user=ann, order_reference="A1", discount=D("30.00"),
        eligible_subtotal=D("250.00"),
    )  # fmt: skip
    CouponRedemption.objects.create(  # used, then given back when the order was cancelled
        coupon=bob_coupon, user=bob, order_reference="B1", discount=D("30.00"),
        eligible_subtotal=D("210.00"), released_at=timezone.now(),
    )  # fmt: skip
    part = PartFactory()
    paid_order(ann, [(part, 10, "250.00", 10)], paid_on=today, coupon=ann_coupon,
               discount=D("30.00"))  # fmt: skip
    refresh(today)
    TopUpBonusTierFactory(min_amount=D("1000.00"), bonus=D("50.00"))
    for amount in ("1000.00", "2000.00", "500.00"):
        top_up = customer_services.top_up_create(user=ann, amount=D(amount))
        customer_services.top_up_confirm(top_up_id=top_up.pk)

    rows = selectors.promotion_report(start=today, end=today).tables[0].rows

    # Welcome: 2 issued, 1 still used (30.00 off), the paid order that used it had 250.00
    # of line nets; Spring sale: issued, unused; two top-ups reached the 50.00 bonus
    assert rows == [
        ["Welcome", "coupon", 2, 1, D("30.00"), D("250.00")],
        ["Spring sale", "coupon", 1, 0, D("0.00"), D("0.00")],
        ["Top-up bonuses", "balance bonus", 2, 2, D("100.00"), None],
    ]
