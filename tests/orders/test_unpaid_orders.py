"""Unpaid orders: a reminder before the payment window closes, then the automatic cancel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from catalog.models import Stock
from customers.services import balance_credit
from orders.lifecycle.services import orders_cancel_overdue, orders_remind_unpaid
from orders.models import Order, OrderEvent, OrderEventKind, OrderStatus, PaymentMethod
from tests.customers.factories import AddressFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def express(db):
    return ShippingMethodFactory()


@pytest.fixture
def unpaid(customer, resistor, address, express, settings):
    """1,000 resistors by bank transfer, 72 hours to pay (ORDERS_BANK_TRANSFER_PAYMENT_HOURS)."""
    assert settings.ORDERS_BANK_TRANSFER_PAYMENT_HOURS == 72
    assert settings.ORDERS_PAYMENT_REMINDER_HOURS == 12
    fill_cart(customer, (resistor, 1000))
    order = place(customer, choices(address, express))
    assert order.status == OrderStatus.AWAITING_PAYMENT
    window = order.payment_due_at - order.placed_at
    assert abs(window - timedelta(hours=72)) < timedelta(seconds=5)
    mail.outbox.clear()
    return order


def reminders(order):
    return OrderEvent.objects.filter(order=order, kind=OrderEventKind.REMINDER)


def test_no_reminder_while_the_deadline_is_far(unpaid):
    assert orders_remind_unpaid(now=unpaid.payment_due_at - timedelta(hours=13)) == 0
    assert not reminders(unpaid).exists() and mail.outbox == []


def test_the_reminder_goes_out_once_before_the_deadline(
    customer, unpaid, django_capture_on_commit_callbacks
):
    soon = unpaid.payment_due_at - timedelta(hours=11)

    with django_capture_on_commit_callbacks(execute=True):
        assert orders_remind_unpaid(now=soon) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_remind_unpaid(now=soon + timedelta(hours=1)) == 0

    assert reminders(unpaid).count() == 1
    assert [m.subject for m in mail.outbox] == [
        f"Order {unpaid.reference} is waiting for your payment"
    ]
    assert mail.outbox[0].to == [customer.email]
    assert Order.objects.get(pk=unpaid.pk).reminder_sent_at == soon


def test_no_reminder_once_the_deadline_has_passed(unpaid):
    assert orders_remind_unpaid(now=unpaid.payment_due_at + timedelta(minutes=1)) == 0


def test_an_unpaid_order_is_cancelled_after_its_window_and_its_stock_released(
    resistor, unpaid, django_capture_on_commit_callbacks
):
    assert orders_cancel_overdue(now=unpaid.payment_due_at - timedelta(minutes=1)) == 0
    assert Stock.objects.get(part=resistor).reserved == 3000

    late = unpaid.payment_due_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_cancel_overdue(now=late) == 1

    order = Order.objects.get(pk=unpaid.pk)
    assert order.status == OrderStatus.CANCELLED
    assert Stock.objects.get(part=resistor).reserved == 2000
    event = OrderEvent.objects.get(order=order, to_status=OrderStatus.CANCELLED)
    assert (event.message, event.actor_label) == (
        "Not paid in time: cancelled automatically",
        "system",
    )
    assert [m.subject for m in mail.outbox] == [f"Order {order.reference} is cancelled"]


def test_the_automatic_cancel_is_safe_to_run_twice(
    resistor, unpaid, django_capture_on_commit_callbacks
):
    late = unpaid.payment_due_at + timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert orders_cancel_overdue(now=late) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert orders_cancel_overdue(now=late) == 0

    assert Stock.objects.get(part=resistor).reserved == 2000
    assert OrderEvent.objects.filter(order=unpaid, to_status=OrderStatus.CANCELLED).count() == 1
    assert len(mail.outbox) == 1


def test_a_partly_paid_order_is_refunded_to_the_balance_when_it_expires(
    customer, resistor, address, express
):
    # 1000 × 0.0042 = 4.20 + 12.00 + 0.55 + 1.56 = 18.31; 10.00 from the balance, 8.31 due
    balance_credit(user=customer, amount=Decimal("10.00"), idempotency_key="gift")
    fill_cart(customer, (resistor, 1000))
    order = place(customer, choices(address, express, balance_amount=Decimal("10.00")))
    customer.profile.refresh_from_db()
    assert customer.profile.balance == Decimal("0.00")

    assert orders_cancel_overdue(now=order.payment_due_at + timedelta(minutes=1)) == 1

    customer.profile.refresh_from_db()
    assert customer.profile.balance == Decimal("10.00")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_a_paid_order_is_neither_reminded_nor_cancelled(customer, resistor, address, express):
    balance_credit(user=customer, amount=Decimal("50.00"), idempotency_key="gift")
    fill_cart(customer, (resistor, 1000))
    order = place(customer, choices(address, express, payment_method=PaymentMethod.BALANCE))
    assert order.status == OrderStatus.PAID

    far_later = order.placed_at + timedelta(days=30)
    assert orders_remind_unpaid(now=order.placed_at + timedelta(hours=23)) == 0
    assert orders_cancel_overdue(now=far_later) == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_an_order_paid_just_before_the_automatic_cancel_stays_paid(
    customer, resistor, unpaid, monkeypatch
):
    # the bank transfer is confirmed after the expiry job listed the order as overdue, before
    # it locks the order
    from orders.lifecycle import services as lifecycle
    from orders.models import Payment, PaymentStatus

    real_lock = lifecycle.order_for_update
    paid = []

    def transfer_confirmed_first(order_id):
        if not paid:
            paid.append(order_id)
            order = real_lock(order_id)
            payment = Payment.objects.create(
                order=order,
                method=PaymentMethod.BANK_TRANSFER,
                amount=order.amount_due,
                currency=order.currency,
                status=PaymentStatus.SUCCEEDED,
            )
            lifecycle.order_payment_recorded(order=order, payment=payment)
        return real_lock(order_id)

    monkeypatch.setattr(lifecycle, "order_for_update", transfer_confirmed_first)

    assert orders_cancel_overdue(now=unpaid.payment_due_at + timedelta(minutes=1)) == 0

    order = Order.objects.get(pk=unpaid.pk)
    assert order.status == OrderStatus.PAID
    assert Stock.objects.get(part=resistor).reserved == 3000
    assert not order.refunds.exists()
