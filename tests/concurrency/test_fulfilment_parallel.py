"""Fulfilment under real concurrent connections (PostgreSQL): stock leaves once, an order is
allocated once."""

import pytest

from catalog.models import Stock
from customers.models import Notification, NotificationKind
from orders.fulfilment import services as fulfilment
from orders.fulfilment import tasks
from orders.fulfilment.errors import FulfilmentError
from orders.models import Carrier, OrderAllocation, OrderStatus, PickList, Shipment, ShipmentLine
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory
from tests.orders.fulfilment_helpers import allocate_and_pick, paid_order, stocked_part

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_two_shipments_of_the_same_lines_at_once_move_stock_once():
    part = stocked_part("RC0603FR-0710KL", on_hand=1000)
    order = paid_order(CustomerFactory(), (part, 100))
    allocate_and_pick(order)

    results = run_in_parallel(
        lambda i: fulfilment.shipment_create(
            order_id=order.pk, carrier=Carrier.SF_EXPRESS, tracking_number=f"SF00{i}2345"
        ),
        2,
    )

    shipped = [r for r in results if isinstance(r, Shipment)]
    refused = [r for r in results if isinstance(r, FulfilmentError)]
    assert len(shipped) == 1 and len(refused) == 1, results
    assert "only paid orders ship" in str(refused[0])
    stock = Stock.objects.get(part=part)
    assert (stock.on_hand, stock.reserved) == (900, 0)
    assert Shipment.objects.count() == 1
    assert sum(ShipmentLine.objects.values_list("quantity", flat=True)) == 100
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert Notification.objects.filter(kind=NotificationKind.ORDER_SHIPPED).count() == 1


def test_the_same_shipment_recorded_twice_at_once_is_one_shipment():
    part = stocked_part("RC0603FR-0710KL", on_hand=1000)
    order = paid_order(CustomerFactory(), (part, 100))
    allocate_and_pick(order)

    results = run_in_parallel(
        lambda i: fulfilment.shipment_create(
            order_id=order.pk, carrier=Carrier.ZTO, tracking_number="ZT7788990"
        ).pk,
        2,
    )

    assert results[0] == results[1]
    assert Stock.objects.get(part=part).on_hand == 900


def test_the_allocation_task_run_twice_at_once_makes_one_pick_list(monkeypatch):
    # The payment would allocate the order after its commit: here two runs race instead.
    monkeypatch.setattr(tasks.order_allocate, "delay_on_commit", lambda **kwargs: None)
    part = stocked_part("RC0603FR-0710KL", on_hand=1000)
    order = paid_order(CustomerFactory(), (part, 100))
    assert not OrderAllocation.objects.filter(order=order).exists()

    results = run_in_parallel(lambda i: fulfilment.order_allocate(order_id=order.pk), 2)

    assert not any(isinstance(r, Exception) for r in results), results
    assert results[0].pk == results[1].pk
    assert OrderAllocation.objects.filter(order=order).count() == 1
    assert PickList.objects.filter(order=order).count() == 1
    assert PickList.objects.get(order=order).lines.count() == 1
