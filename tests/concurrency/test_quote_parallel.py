"""A quote line is bought once, also when two sessions of the customer act at the same
moment: on real PostgreSQL connections released together by a barrier."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders.checkout import services as checkout
from orders.errors import CheckoutError
from orders.models import CartLine, Order, OrderLine
from orders.rfq import services as rfq
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.factories import (
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import choices, quote
from tests.orders.quote_helpers import quoted_inquiry

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def part():
    part = PartFactory(mpn="STM32F103C8T6")
    PriceBreakFactory(
        packaging=PackagingOptionFactory(part=part), min_quantity=1, unit_price=Decimal("9.50")
    )
    StockFactory(part=part, on_hand=50000)
    return part


def test_the_same_quote_line_ordered_from_two_sessions_at_once_makes_one_order(part):
    customer = CustomerFactory()
    address = AddressFactory(user=customer, is_default=True)
    inquiry = quoted_inquiry(customer, (part, 5000, "6.20"))
    line = inquiry.lines.get()
    rfq.quote_accept(customer=customer, reference=inquiry.reference, line_ids=[line.pk])
    chosen = choices(address, ShippingMethodFactory())
    token = quote(customer, chosen).token

    results = run_in_parallel(
        lambda i: checkout.order_place(
            customer=customer, choices=chosen, idempotency_key=f"tab-{i}", seen_token=token
        ),
        2,
    )

    orders = [r for r in results if isinstance(r, Order)]
    assert len(orders) == 1, results
    assert all(isinstance(r, CheckoutError) for r in results if not isinstance(r, Order))
    assert Order.objects.count() == 1
    sold = OrderLine.objects.get(quote_line=line)
    assert sold.unit_price == Decimal("6.20") and sold.quantity == 5000


def test_the_same_quote_line_accepted_from_two_sessions_at_once_is_in_the_cart_once(part):
    customer = CustomerFactory()
    inquiry = quoted_inquiry(customer, (part, 5000, "6.20"))
    line = inquiry.lines.get()

    results = run_in_parallel(
        lambda i: rfq.quote_accept(
            customer=customer,
            reference=inquiry.reference,
            line_ids=[line.pk],
            idempotency_key=f"tab-{i}",
        ),
        4,
    )

    accepted = [r for r in results if isinstance(r, list)]
    assert len(accepted) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, list))
    assert CartLine.objects.filter(quote_line=line).count() == 1
