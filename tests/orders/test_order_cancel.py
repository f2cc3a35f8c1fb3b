"""Cancelling an order: stock, supplier pieces, coupon, points and money come back at once."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from catalog.models import Part, Stock, SupplierOffer
from customers.models import BalanceEntry, PointsEntry, PointsEntryKind
from customers.services import balance_credit, points_adjust
from orders.errors import OrderNotCancellable
from orders.lifecycle import services as lifecycle
from orders.models import (
    Order,
    OrderEvent,
    OrderEventKind,
    OrderLineSupply,
    OrderStatus,
    PaymentMethod,
    Refund,
)
from promotions.models import CouponState
from tests.catalog.factories_admin import SupplierOfferFactory
from tests.customers.factories import AddressFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place
from tests.promotions.factories import CouponDefinitionFactory, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def express(db):
    return ShippingMethodFactory()


@pytest.fixture
def offer(resistor):
    """A supplier holding 100,000 more pieces of the resistor, 5 days away."""
    return SupplierOfferFactory(part=resistor, quantity=100_000, lead_days=5)


@pytest.fixture
def loaded_order(customer, staff, resistor, offer, address, express):
    """50,000 resistors: 40,000 from own stock (all of it) and 10,000 from the supplier,
    with a 20.00 coupon, 1,000 points and 30.00 from the balance; the rest due by transfer.

    50000 × 0.0042 = 210.00 − 20.00 = 190.00 (VAT 24.70) + 12.00 (VAT 1.56) = 228.26."""
    points_adjust(user=customer, points=3000, reason="loyalty", staff=staff)
    balance_credit(user=customer, amount=Decimal("100.00"), idempotency_key="gift")
    coupon = issued(CouponDefinitionFactory(amount=Decimal("20.00")), user=customer)
    fill_cart(customer, (resistor, 50_000))
    order = place(
        customer,
        choices(
            address,
            express,
            coupon_code=coupon.code,
            points=1000,
            balance_amount=Decimal("30.00"),
        ),
    )
    assert order.total == Decimal("228.26") and order.amount_due == Decimal("188.26")
    assert Stock.objects.get(part=resistor).reserved == 42_000
    assert SupplierOffer.objects.get(pk=offer.pk).quantity == 90_000
    return order


def points_of(customer) -> int:
    customer.profile.refresh_from_db()
    return customer.profile.points


def balance_of(customer) -> Decimal:
    customer.profile.refresh_from_db()
    return customer.profile.balance


def test_cancelling_gives_back_stock_supplier_pieces_coupon_points_and_balance(
    customer, resistor, offer, loaded_order
):
    order = lifecycle.order_cancel(order_id=loaded_order.pk, actor=customer, reason="Wrong part")

    assert order.status == OrderStatus.CANCELLED and order.cancelled_at is not None
    stock = Stock.objects.get(part=resistor)
    assert (stock.on_hand, stock.reserved) == (42_000, 2_000)
    assert Part.objects.get(pk=resistor.pk).stock_available == 40_000
    assert SupplierOffer.objects.get(pk=offer.pk).quantity == 100_000
    assert not OrderLineSupply.objects.filter(line__order=order, released_at__isnull=True)
    coupon = order.coupon
    coupon.refresh_from_db()
    assert coupon.state == CouponState.AVAILABLE and coupon.order_reference == ""
    assert points_of(customer) == 3000
    assert balance_of(customer) == Decimal("100.00")
    refund = Refund.objects.get(order=order)
    assert refund.amount == Decimal("30.00") and refund.destination == "balance"
    events = OrderEvent.objects.filter(order=order, kind=OrderEventKind.STATUS)
    assert list(events.values_list("to_status", "message", "actor_label")) == [
        (OrderStatus.CANCELLED, "Wrong part", "customer")
    ]


def test_a_failure_while_cancelling_gives_nothing_back(
    customer, resistor, offer, loaded_order, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("points ledger unavailable")

    monkeypatch.setattr(lifecycle.customer_services, "points_return", broken)

    with pytest.raises(RuntimeError):
        lifecycle.order_cancel(order_id=loaded_order.pk, actor=customer)

    # one transaction: the stock released before the failure is reserved again
    assert Order.objects.get(pk=loaded_order.pk).status == OrderStatus.AWAITING_PAYMENT
    assert Stock.objects.get(part=resistor).reserved == 42_000
    assert SupplierOffer.objects.get(pk=offer.pk).quantity == 90_000
    assert loaded_order.coupon.__class__.objects.get(pk=loaded_order.coupon_id).state == (
        CouponState.USED
    )
    assert (points_of(customer), balance_of(customer)) == (2000, Decimal("70.00"))


def test_cancelling_twice_gives_back_once(customer, loaded_order):
    lifecycle.order_cancel(order_id=loaded_order.pk, actor=customer)
    again = lifecycle.order_cancel(order_id=loaded_order.pk, actor=customer)

    assert again.status == OrderStatus.CANCELLED
    assert points_of(customer) == 3000 and balance_of(customer) == Decimal("100.00")
    assert PointsEntry.objects.filter(user=customer).aggregate(s=Sum("points"))["s"] == 3000
    assert BalanceEntry.objects.filter(user=customer).aggregate(s=Sum("amount"))["s"] == (
        Decimal("100.00")
    )
    assert Refund.objects.filter(order=loaded_order).count() == 1
    assert (
        OrderEvent.objects.filter(order=loaded_order, to_status=OrderStatus.CANCELLED).count() == 1
    )


@pytest.fixture
def paid_order(customer, resistor, address, express):
    """1,000 resistors paid in full from the balance: 4.20 + 12.00 + 0.55 + 1.56 = 18.31."""
    balance_credit(user=customer, amount=Decimal("50.00"), idempotency_key="gift")
    fill_cart(customer, (resistor, 1000))
    order = place(customer, choices(address, express, payment_method=PaymentMethod.BALANCE))
    assert order.status == OrderStatus.PAID and order.total == Decimal("18.31")
    return order


def test_a_customer_cannot_cancel_a_paid_order(customer, resistor, paid_order):
    with pytest.raises(OrderNotCancellable) as caught:
        lifecycle.order_cancel(order_id=paid_order.pk, actor=customer)

    assert str(caught.value) == (
        f"Order {paid_order.reference} is paid; ask us to cancel it and we refund what you paid."
    )
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PAID
    assert Stock.objects.get(part=resistor).reserved == 3000


def test_paying_earns_points_and_a_staff_cancel_takes_them_back_and_refunds(
    customer, staff, resistor, paid_order
):
    # points are earned on payment at the rule's rate (1 point per 1.00 paid, rounded down)
    earned = PointsEntry.objects.get(user=customer, kind=PointsEntryKind.EARN)
    assert (earned.points, earned.reference_id) == (18, paid_order.reference)
    assert points_of(customer) == 18

    order = lifecycle.order_cancel(
        order_id=paid_order.pk, actor=staff, by_staff=True, reason="Customer called"
    )

    assert order.status == OrderStatus.CANCELLED
    assert points_of(customer) == 0
    assert PointsEntry.objects.filter(user=customer, kind=PointsEntryKind.REVERSE).count() == 1
    assert balance_of(customer) == Decimal("50.00")
    assert Stock.objects.get(part=resistor).reserved == 2000
    assert Refund.objects.get(order=order).amount == Decimal("18.31")


def test_a_completed_order_cannot_be_cancelled(customer, staff, paid_order):
    lifecycle.order_transition(order_id=paid_order.pk, to=OrderStatus.COMPLETED, actor=staff)

    with pytest.raises(OrderNotCancellable) as caught:
        lifecycle.order_cancel(order_id=paid_order.pk, actor=staff, by_staff=True)

    assert "is completed and can no longer be cancelled" in str(caught.value)
