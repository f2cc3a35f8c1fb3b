"""What a customer is told by email about an order: placed (with how to pay), cancelled."""

import pytest
from django.core import mail

from orders.lifecycle.services import order_cancel
from tests.customers.factories import AddressFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(customer, resistor, django_capture_on_commit_callbacks):
    fill_cart(customer, (resistor, 150))
    picked = choices(
        AddressFactory(user=customer), ShippingMethodFactory(), po_number="PO-2026-118"
    )
    with django_capture_on_commit_callbacks(execute=True):
        return place(customer, picked)


def test_the_placed_email_says_how_to_pay_by_transfer_with_the_reference(placed):
    message = mail.outbox[-1]

    assert message.to == ["buyer@example.com"]
    assert message.subject == f"Order {placed.reference} received (PO PO-2026-118)"
    assert "Please transfer 14.60 CNY to" in message.body
    assert f"quoting the reference {placed.reference}." in message.body
    assert "Your PO number: PO-2026-118" in message.body
    assert "1 × " not in message.body and "150 × RC0603FR-0710KL (YAGEO) 1.04 CNY" in message.body


def test_the_cancelled_email_goes_once_the_cancel_is_saved(
    placed, customer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=placed.pk, actor=customer, reason="Ordered the wrong value")

    assert [m.subject for m in mail.outbox] == [
        f"Order {placed.reference} is cancelled (PO PO-2026-118)"
    ]
