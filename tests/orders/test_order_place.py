"""Placing an order: one transaction that reserves stock, copies lines and takes money."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Stock
from orders.errors import IdempotencyConflict, OutOfStock, QuoteChanged
from orders.models import Cart, Order, OrderStatus, PaymentMethod
from tests.customers.factories import AddressFactory
from tests.factories import PriceBreakFactory, ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place, quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def express(db):
    return ShippingMethodFactory()


def test_an_order_copies_its_lines_and_reserves_own_stock(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    order = place(customer, choices(address, express))

    line = order.lines.get()
    assert (line.mpn, line.manufacturer, line.quantity) == ("RC0603FR-0710KL", "YAGEO", 150)
    assert line.unit_price == Decimal("0.006100") and line.line_total == Decimal("0.92")
    assert (line.vat, line.gross) == (Decimal("0.12"), Decimal("1.04"))
    assert Stock.objects.get(part=resistor).reserved == 2000 + 150
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.reference.startswith("SO-") and len(order.reference) == 10
    # 0.92 parts + 12.00 shipping + VAT 0.12 + 1.56 = 14.60
    assert (order.subtotal, order.shipping_fee, order.vat) == (
        Decimal("0.92"),
        Decimal("12.00"),
        Decimal("1.68"),
    )
    assert order.total == order.amount_due == Decimal("14.60")
    assert Cart.objects.get(pk=line.order.cart_id).checked_out_at is not None


def test_the_same_key_twice_makes_one_order(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    picked = choices(address, express)
    token = quote(customer, picked).token

    first = place(customer, picked, key="k1", token=token)
    again = place(customer, picked, key="k1", token=token)

    assert again.pk == first.pk and Order.objects.count() == 1


def test_the_same_key_with_another_cart_is_refused(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    place(customer, choices(address, express), key="k1")
    fill_cart(customer, (resistor, 200))

    with pytest.raises(IdempotencyConflict):
        place(customer, choices(address, express), key="k1")
    assert Order.objects.count() == 1


def test_a_price_changed_since_review_is_not_charged(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    picked = choices(address, express)
    token = quote(customer, picked).token
    cut_tape = resistor.packaging_options.get(kind="cut_tape")
    cut_tape.price_breaks.filter(min_quantity=100).update(unit_price=Decimal("0.0070"))

    with pytest.raises(QuoteChanged) as caught:
        place(customer, picked, token=token)

    assert "RC0603FR-0710KL: unit price 0.006100 → 0.007000 CNY." in str(caught.value)
    assert Order.objects.count() == 0
    assert Stock.objects.get(part=resistor).reserved == 2000


def test_stock_sold_meanwhile_is_refused_with_nothing_written(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    picked = choices(address, express)
    token = quote(customer, picked).token
    Stock.objects.filter(part=resistor).update(reserved=42000 - 100)

    with pytest.raises(OutOfStock) as caught:
        place(customer, picked, token=token)

    assert "RC0603FR-0710KL: only 100 of 150 available." in str(caught.value)
    assert "request a quote" in str(caught.value)
    assert Order.objects.count() == 0


def test_balance_pays_part_and_the_rest_is_due(customer, resistor, address, express):
    from customers.services import balance_credit

    balance_credit(user=customer, amount=Decimal("10.00"), idempotency_key="gift")
    fill_cart(customer, (resistor, 150))

    order = place(customer, choices(address, express, balance_amount=Decimal("10.00")))

    assert order.balance_amount == Decimal("10.00") and order.amount_due == Decimal("4.60")
    assert order.amount_paid == Decimal("10.00") and order.status == OrderStatus.AWAITING_PAYMENT
    customer.profile.refresh_from_db()
    assert customer.profile.balance == Decimal("0.00")


def test_balance_pays_in_full_and_the_order_is_paid(customer, resistor, address, express):
    from customers.services import balance_credit

    balance_credit(user=customer, amount=Decimal("100.00"), idempotency_key="gift")
    fill_cart(customer, (resistor, 150))

    order = place(customer, choices(address, express, payment_method=PaymentMethod.BALANCE))

    assert order.status == OrderStatus.PAID and order.amount_paid == order.total
    assert order.payments.get().method == PaymentMethod.BALANCE


def test_an_unknown_address_is_refused(customer, other_customer, resistor, express):
    fill_cart(customer, (resistor, 150))
    theirs = AddressFactory(user=other_customer)

    with pytest.raises(ValidationError) as caught:
        place(customer, choices(theirs, express))
    assert "address_id" in caught.value.message_dict
    assert Order.objects.count() == 0


def test_a_second_ladder_break_prices_the_line_it_reaches(customer, resistor, address, express):
    PriceBreakFactory(
        packaging=resistor.packaging_options.get(kind="cut_tape"),
        min_quantity=10000,
        unit_price=Decimal("0.0030"),
    )
    fill_cart(customer, (resistor, 10000))

    order = place(customer, choices(address, express))

    assert order.lines.get().line_total == Decimal("30.00")


def test_sums_that_floating_point_would_miss_are_accepted(customer, resistor, address, express):
    # 200 × 0.0061 = 1.22; + 12.00 shipping; VAT 0.16 + 1.56: on SQLite the CHECK
    # constraints compare floats, where 1.22 + 12.00 + 1.72 is not 14.94.
    fill_cart(customer, (resistor, 200))

    order = place(customer, choices(address, express))

    assert order.total == Decimal("14.94")
