"""Payments under real concurrent connections (PostgreSQL)."""

from decimal import Decimal

import pytest
from django.test import Client

from customers.models import CustomerProfile, PointsEntry
from orders.errors import PaymentError
from orders.models import (
    GatewayNotification,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
)
from orders.payments import services
from tests.concurrency.parallel import run_in_parallel
from tests.orders.conftest import customer, resistor, staff  # noqa: F401
from tests.orders.payments_helpers import fund, place_online_order, place_order, signed

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_one_notification_delivered_five_times_at_once_records_one_payment(
    customer,  # noqa: F811
    resistor,  # noqa: F811
):
    order = place_online_order(customer, resistor)
    payment, _url = services.payment_start_online(
        order_id=order.pk, customer=customer, idempotency_key="online-1"
    )
    body, meta = signed(payment, event_id="evt_five")

    responses = run_in_parallel(
        lambda i: Client().post(
            "/payments/notify/sandbox/", data=body, content_type="application/json", **meta
        ),
        5,
    )

    assert [r.status_code for r in responses] == [200] * 5
    assert sorted(r.json()["duplicate"] for r in responses) == [False, True, True, True, True]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.amount_paid == Decimal("14.60")
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 1
    assert GatewayNotification.objects.count() == 1
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID).count() == 1
    assert PointsEntry.objects.filter(user=customer, kind="earn").count() == 1
    assert CustomerProfile.objects.get(user=customer).points == 14


def test_two_orders_paid_from_one_balance_at_once_never_take_it_below_zero(
    customer,  # noqa: F811
    resistor,  # noqa: F811
):
    fund(customer, "20.00")
    orders = [place_order(customer, resistor, key=f"form-{i}") for i in range(2)]

    results = run_in_parallel(
        lambda i: services.payment_pay_from_balance(
            order_id=orders[i].pk, customer=customer, idempotency_key=f"pay-{i}"
        ),
        2,
    )

    paid = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, PaymentError)]
    assert (len(paid), len(refused)) == (1, 1)
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("5.40")
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID]


def test_five_refunds_at_once_never_give_back_more_than_was_paid(
    customer,  # noqa: F811
    resistor,  # noqa: F811
    staff,  # noqa: F811
):
    order = place_order(customer, resistor)
    services.payment_record_bank_transfer(reference=order.reference, amount="14.60", staff=staff)

    results = run_in_parallel(
        lambda i: services.refund_to_balance(
            order_id=order.pk, amount="10.00", staff=staff, reason=f"claim {i}"
        ),
        5,
    )

    assert sum(isinstance(r, Refund) for r in results) == 1
    assert sum(isinstance(r, PaymentError) for r in results) == 4
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("10.00")


def test_one_bank_transfer_recorded_by_two_staff_at_once_is_recorded_once(
    customer,  # noqa: F811
    resistor,  # noqa: F811
    staff,  # noqa: F811
):
    order = place_order(customer, resistor)

    run_in_parallel(
        lambda i: services.payment_record_bank_transfer(
            reference=order.reference, amount="14.60", staff=staff, bank_reference="BOC-5"
        ),
        2,
    )

    assert Payment.objects.filter(order=order).count() == 1
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("0.00")
