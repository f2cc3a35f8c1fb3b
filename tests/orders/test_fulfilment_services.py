"""Fulfilment of paid orders: allocation, receiving supplier goods, shipping, delivery."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Stock
from customers.models import Notification, NotificationKind
from orders.fulfilment import services as fulfilment
from orders.fulfilment.errors import NothingToShip, ShipTogether
from orders.models import (
    Carrier,
    OrderStatus,
    PickList,
    PurchaseRequest,
    PurchaseRequestStatus,
    Shipment,
)
from tests.customers.factories import CustomerFactory
from tests.orders.fulfilment_helpers import allocate_and_pick, paid_order, stocked_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return CustomerFactory(email="buyer@example.com")


@pytest.fixture
def parts():
    return {
        "mcu": stocked_part("STM32F103C8T6", bin_location="C-02-4", msl="3", esd=True),
        "resistor": stocked_part("RC0603FR-0710KL", bin_location="A-01-1"),
        "ldo": stocked_part(
            "AMS1117-3.3", on_hand=0, supplier="Arrow", supplier_quantity=5000, lead_days=6
        ),
    }


def stock(part) -> tuple[int, int]:
    row = Stock.objects.get(part=part)
    return row.on_hand, row.reserved


def test_allocation_puts_own_stock_on_a_pick_list_sorted_by_bin_with_handling_notes(
    customer, parts
):
    order = paid_order(customer, (parts["mcu"], 10), (parts["resistor"], 100))

    fulfilment.order_allocate(order_id=order.pk)

    pick_list = PickList.objects.get(order=order)
    lines = list(pick_list.lines.select_related("order_line"))
    assert [(line.bin_location, line.order_line.mpn, line.quantity) for line in lines] == [
        ("A-01-1", "RC0603FR-0710KL", 100),
        ("C-02-4", "STM32F103C8T6", 10),
    ]
    mcu = lines[1]
    assert (mcu.msl, mcu.esd_sensitive) == ("3", True)


def test_allocating_twice_makes_one_pick_list(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100))

    fulfilment.order_allocate(order_id=order.pk)
    fulfilment.order_allocate(order_id=order.pk)

    assert PickList.objects.filter(order=order).count() == 1


def test_an_unpaid_order_is_not_allocated(customer, parts):
    from tests.customers.factories import AddressFactory
    from tests.factories import ShippingMethodFactory
    from tests.orders.checkout_helpers import choices, fill_cart, place

    fill_cart(customer, (parts["resistor"], 100))
    order = place(customer, choices(AddressFactory(user=customer), ShippingMethodFactory()))

    assert fulfilment.order_allocate(order_id=order.pk) is None
    assert not PickList.objects.filter(order=order).exists()


def test_supplier_lines_become_one_purchase_request_per_supplier_with_arrival_date(
    customer, parts
):
    order = paid_order(customer, (parts["resistor"], 100), (parts["ldo"], 300))

    fulfilment.order_allocate(order_id=order.pk)

    request = PurchaseRequest.objects.get(order=order)
    assert request.supplier.name == "Arrow"
    assert [(row.order_line.mpn, row.quantity) for row in request.lines.all()] == [
        ("AMS1117-3.3", 300)
    ]
    placed = timezone.localtime(order.placed_at).date()
    assert request.expected_on == placed + timedelta(days=6)
    assert [line.order_line.mpn for line in PickList.objects.get(order=order).lines.all()] == [
        "RC0603FR-0710KL"
    ]


def test_receiving_puts_the_goods_in_stock_reserved_and_on_a_new_pick_list(customer, parts):
    order = paid_order(customer, (parts["ldo"], 300))
    fulfilment.order_allocate(order_id=order.pk)
    request = PurchaseRequest.objects.get(order=order)

    pick_list = fulfilment.purchase_request_receive(request_id=request.pk)
    fulfilment.purchase_request_receive(request_id=request.pk)

    assert stock(parts["ldo"]) == (300, 300)
    assert [(line.order_line.mpn, line.quantity) for line in pick_list.lines.all()] == [
        ("AMS1117-3.3", 300)
    ]
    request.refresh_from_db()
    assert request.status == PurchaseRequestStatus.RECEIVED
    assert order.pick_lists.count() == 1


def test_shipping_moves_stock_out_once_and_ships_the_order(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100))
    allocate_and_pick(order)
    assert stock(parts["resistor"]) == (1000, 100)

    shipment = fulfilment.shipment_create(
        order_id=order.pk, carrier=Carrier.SF_EXPRESS, tracking_number="SF1234567890"
    )
    again = fulfilment.shipment_create(
        order_id=order.pk, carrier=Carrier.SF_EXPRESS, tracking_number="sf 1234567890"
    )

    assert again == shipment
    assert stock(parts["resistor"]) == (900, 0)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert shipment.tracking_url.endswith("/SF1234567890")


def test_shipping_tells_the_customer_with_carrier_tracking_number_and_link(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100))
    allocate_and_pick(order)

    fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.DHL, tracking_number="JD0001")

    message = Notification.objects.get(customer=customer, kind=NotificationKind.ORDER_SHIPPED)
    assert order.reference in message.subject
    assert "DHL Express" in message.body_text and "JD0001" in message.body_text
    assert "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD0001" in (
        message.body_text
    )


def test_nothing_ships_before_it_is_picked(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100))
    fulfilment.order_allocate(order_id=order.pk)

    with pytest.raises(NothingToShip):
        fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.ZTO, tracking_number="Z1234")

    assert stock(parts["resistor"]) == (1000, 100)
    assert not Shipment.objects.exists()


def test_ship_together_refuses_a_partial_shipment(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100), (parts["ldo"], 300))
    allocate_and_pick(order)

    with pytest.raises(ShipTogether, match="AMS1117-3.3"):
        fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.ZTO, tracking_number="Z1234")

    assert stock(parts["resistor"]) == (1000, 100)
    assert not Shipment.objects.exists()


def test_ship_what_is_in_stock_now_ships_in_two_parcels(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100), (parts["ldo"], 300), ship_partial=True)
    allocate_and_pick(order)

    fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.ZTO, tracking_number="Z1234")
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_SHIPPED

    request = PurchaseRequest.objects.get(order=order)
    pick_list = fulfilment.purchase_request_receive(request_id=request.pk)
    fulfilment.pick_list_mark_picked(pick_list_id=pick_list.pk)
    fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.YTO, tracking_number="YT999")

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert stock(parts["ldo"]) == (0, 0)
    assert stock(parts["resistor"]) == (900, 0)
    assert Notification.objects.filter(kind=NotificationKind.ORDER_SHIPPED).count() == 2


def test_a_bad_tracking_number_is_refused_with_a_message(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100))
    allocate_and_pick(order)

    with pytest.raises(ValidationError) as error:
        fulfilment.shipment_create(order_id=order.pk, carrier="pigeon", tracking_number="x")

    assert set(error.value.message_dict) == {"carrier", "tracking_number"}
    assert not Shipment.objects.exists()


def test_delivered_order_is_told_once_and_completed_by_the_beat_job(customer, parts):
    order = paid_order(customer, (parts["resistor"], 100))
    allocate_and_pick(order)
    fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.UPS, tracking_number="1Z999")

    fulfilment.order_mark_delivered(order_id=order.pk)
    fulfilment.order_mark_delivered(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert Notification.objects.filter(kind=NotificationKind.ORDER_DELIVERED).count() == 1
    assert fulfilment.orders_complete_due() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_beat_job_completes_a_shipped_order_only_after_the_set_days(customer, parts, settings):
    settings.ORDERS_COMPLETE_AFTER_DAYS = 10
    order = paid_order(customer, (parts["resistor"], 100))
    allocate_and_pick(order)
    fulfilment.shipment_create(order_id=order.pk, carrier=Carrier.EMS, tracking_number="EM123")

    assert fulfilment.orders_complete_due(now=timezone.now() + timedelta(days=9)) == 0
    assert fulfilment.orders_complete_due(now=timezone.now() + timedelta(days=11)) == 1

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
