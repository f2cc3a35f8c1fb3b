"""Reorder: an old order's lines back in the cart at today's prices, with what changed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Lifecycle
from orders.account.services import order_reorder
from orders.models import CartLine, OrderLine
from tests.customers.factories import AddressFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(customer, resistor):
    address = AddressFactory(user=customer, is_default=True)
    fill_cart(customer, (resistor, 150))
    return place(customer, choices(address, ShippingMethodFactory()))


def cart_lines(customer):
    return list(
        CartLine.objects.filter(cart__customer=customer, cart__checked_out_at__isnull=True)
        .select_related("part")
        .order_by("pk")
    )


def test_the_lines_go_back_into_the_cart(customer, order, resistor):
    summary = order_reorder(customer=customer, order=order)

    (line,) = cart_lines(customer)
    assert (line.part, line.quantity) == (resistor, 150)
    assert summary.messages("CNY") == []


def test_a_changed_price_is_named(customer, order, resistor):
    cut_tape = resistor.packaging_options.get(kind="cut_tape")
    cut_tape.price_breaks.filter(min_quantity=100).update(unit_price=Decimal("0.0070"))

    summary = order_reorder(customer=customer, order=order)

    assert summary.messages("CNY") == ["RC0603FR-0710KL: unit price 0.0061 → 0.007 CNY today."]


def test_a_quantity_below_todays_minimum_is_raised(customer, order, resistor):
    resistor.moq = 200
    resistor.order_multiple = 100
    resistor.save()

    summary = order_reorder(customer=customer, order=order)

    assert cart_lines(customer)[0].quantity == 200
    assert summary.messages("CNY") == [
        "RC0603FR-0710KL: 200 pieces instead of 150, today's minimum order or multiple."
    ]


def test_a_quantity_off_todays_multiple_is_rounded_up(customer, order, resistor):
    resistor.order_multiple = 100
    resistor.save()

    order_reorder(customer=customer, order=order)

    assert cart_lines(customer)[0].quantity == 200


def test_a_part_no_longer_sold_is_left_out_and_named(customer, order, resistor):
    resistor.lifecycle = Lifecycle.OBSOLETE
    resistor.save()

    summary = order_reorder(customer=customer, order=order)

    assert cart_lines(customer) == []
    assert summary.messages("CNY") == ["RC0603FR-0710KL: Obsolete: we no longer sell it."]


def test_a_part_gone_from_the_catalog_is_named(customer, order):
    OrderLine.objects.filter(order=order).update(part=None)

    summary = order_reorder(customer=customer, order=order)

    assert cart_lines(customer) == []
    assert summary.messages("CNY") == ["RC0603FR-0710KL: no longer in our catalog."]


def test_a_part_without_a_price_today_is_named(customer, order, resistor):
    for option in resistor.packaging_options.all():
        option.price_breaks.all().delete()

    summary = order_reorder(customer=customer, order=order)

    assert summary.messages("CNY") == ["RC0603FR-0710KL: no list price today: request a quote."]


def test_the_cart_page_shows_the_summary_once(client, customer, order, resistor):
    cut_tape = resistor.packaging_options.get(kind="cut_tape")
    cut_tape.price_breaks.filter(min_quantity=100).update(unit_price=Decimal("0.0070"))
    client.force_login(customer)

    response = client.post(f"/account/orders/{order.reference}/reorder/", secure=True)

    assert response.status_code == 302 and response["Location"] == "/cart/"
    first = client.get("/cart/", secure=True).content.decode()
    assert f"1 line of order {order.reference} is in your cart at today&#x27;s prices." in first
    assert "RC0603FR-0710KL: unit price 0.0061 → 0.007 CNY today." in first
    again = client.get("/cart/", secure=True).content.decode()
    assert "unit price 0.0061 → 0.007 CNY today." not in again


def test_another_customers_order_cannot_be_reordered(other_customer, order):
    with pytest.raises(ValidationError, match="This order is not yours."):
        order_reorder(customer=other_customer, order=order)
    assert cart_lines(other_customer) == []
