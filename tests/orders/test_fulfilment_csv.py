"""Shipments in bulk: a CSV of order number, carrier and tracking; bad rows reported."""

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Stock
from orders.fulfilment import services as fulfilment
from orders.models import OrderStatus, Shipment
from tests.customers.factories import CustomerFactory
from tests.orders.fulfilment_helpers import allocate_and_pick, paid_order, stocked_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def picked_orders():
    part = stocked_part("RC0603FR-0710KL")
    orders = []
    for number in (1, 2):
        order = paid_order(CustomerFactory(), (part, 100), key=f"form-{number}")
        allocate_and_pick(order)
        orders.append(order)
    return part, orders


def upload(text: str):
    return fulfilment.shipments_import_csv(data=text.encode())


def test_good_rows_ship_their_orders_with_the_carrier_named_in_any_common_way(picked_orders):
    part, (first, second) = picked_orders

    report = upload(
        f"Order number,Carrier,Tracking number\n{first.reference},顺丰,SF100200300\n"
        f"{second.reference.lower()},FedEx,7700 1234 5678\n"
    )

    assert [row.ok for row in report.rows] == [True, True]
    assert Shipment.objects.get(order=first).get_carrier_display() == "SF Express"
    assert Shipment.objects.get(order=second).tracking_number == "770012345678"
    assert Stock.objects.get(part=part).on_hand == 800


def test_each_bad_row_is_reported_with_its_number_and_reason(picked_orders):
    _part, (first, second) = picked_orders

    report = upload(
        "order,carrier,tracking\n"
        f"{first.reference},SF Express,SF100200300\n"
        "SO-NOPE,SF Express,SF1\n"
        f"{second.reference},Pigeon post,AB1234\n"
        f"{second.reference},UPS,!!\n"
        f"{first.reference},UPS,1Z0000000\n"
    )

    assert [(row.number, row.ok) for row in report.rows] == [
        (2, True),
        (3, False),
        (4, False),
        (5, False),
        (6, False),
    ]
    messages = [row.message for row in report.refused]
    assert messages[0] == "No order SO-NOPE."
    assert messages[1].startswith("Unknown carrier 'Pigeon post'")
    assert "tracking number is 4 to 40" in messages[2]
    assert "is shipped: only paid orders ship" in messages[3]
    second.refresh_from_db()
    assert second.status == OrderStatus.PAID
    assert not Shipment.objects.filter(order=second).exists()


def test_uploading_the_same_file_twice_records_each_shipment_once(picked_orders):
    part, (first, _second) = picked_orders
    text = f"order,carrier,tracking\n{first.reference},ZTO,ZT7788\n"

    upload(text)
    report = upload(text)

    assert report.rows[0].ok and "already recorded" in report.rows[0].message
    assert Shipment.objects.filter(order=first).count() == 1
    assert Stock.objects.get(part=part).on_hand == 900


def test_a_delivered_column_marks_the_order_delivered(picked_orders):
    _part, (first, _second) = picked_orders

    upload(f"order,carrier,tracking,delivered\n{first.reference},JD,JD0098765,yes\n")

    first.refresh_from_db()
    assert first.status == OrderStatus.DELIVERED


def test_a_file_without_the_columns_is_refused_whole(picked_orders):
    with pytest.raises(ValidationError, match="missing: carrier, tracking"):
        upload("order,courier\nSO-1,SF\n")
    assert not Shipment.objects.exists()
