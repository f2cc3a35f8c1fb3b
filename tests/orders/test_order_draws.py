"""Paying an order earns its lucky draws; refunding or cancelling it withdraws the unused
ones; the order page shows them."""

from decimal import Decimal

import pytest

from orders.lifecycle import services as lifecycle
from orders.payments import services as payments
from orders.status import OrderStatus
from promotions.draw_models import Draw, DrawState
from tests.orders.payments_helpers import fund, place_order
from tests.promotions.draw_helpers import campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def lucky_draw(db):
    """One draw from 10.00 paid, one more per further 2.00: an order of 14.60 earns three."""
    return campaign(
        prizes=[("10 off", "50", 5)],
        min_order_amount=Decimal("10.00"),
        step_amount=Decimal("2.00"),
    )


def _paid_order(customer, resistor):
    fund(customer, "20.00")
    order = place_order(customer, resistor)
    payments.payment_pay_from_balance(order_id=order.pk, customer=customer, idempotency_key="k1")
    order.refresh_from_db()
    return order


def test_an_order_earns_its_draws_when_it_is_paid(customer, resistor, lucky_draw):
    fund(customer, "20.00")
    order = place_order(customer, resistor)
    assert Draw.objects.count() == 0

    payments.payment_pay_from_balance(order_id=order.pk, customer=customer, idempotency_key="k1")

    assert Draw.objects.filter(customer=customer, order_reference=order.reference).count() == 3


def test_the_order_page_shows_the_draws_it_earned(client, customer, resistor, lucky_draw):
    order = _paid_order(customer, resistor)
    client.force_login(customer)

    page = client.get(f"/account/orders/{order.reference}/").content.decode()

    assert "This order earned 3 lucky draws." in page
    for draw in Draw.objects.all():
        assert draw.public_id in page


def test_refunding_a_paid_order_withdraws_its_unused_draws(customer, staff, resistor, lucky_draw):
    order = _paid_order(customer, resistor)

    lifecycle.order_transition(order_id=order.pk, to=OrderStatus.REFUNDED, actor=staff)

    assert set(Draw.objects.values_list("state", flat=True)) == {DrawState.WITHDRAWN}


def test_cancelling_a_paid_order_withdraws_its_unused_draws(customer, resistor, lucky_draw):
    order = _paid_order(customer, resistor)

    lifecycle.order_cancel(order_id=order.pk, by_staff=True, reason="Out of stock")

    assert set(Draw.objects.values_list("state", flat=True)) == {DrawState.WITHDRAWN}
