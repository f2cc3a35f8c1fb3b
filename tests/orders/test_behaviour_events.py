"""Orders record the funnel's later steps through the customers service: add to cart,
checkout started, order placed, order paid."""

from decimal import Decimal

import pytest

from customers import behaviour
from customers.models import BehaviourEvent, EventKind
from tests.orders.payments_helpers import fund, place_order

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _empty_buffer():
    behaviour.buffer().clear()
    yield
    behaviour.buffer().clear()


def stored(kind=None):
    behaviour.events_flush()
    events = BehaviourEvent.objects.order_by("occurred_at", "pk")
    return list(events.filter(kind=kind) if kind else events)


def test_adding_a_part_to_the_cart_is_an_event(client, customer, resistor):
    client.force_login(customer)
    client.post(
        "/cart/add/",
        {"part": resistor.pk, "quantity": "100"},
        secure=True,
        headers={"user-agent": BROWSER},
    )

    [event] = stored(EventKind.CART_ADD)
    assert (event.customer_id, event.part_id) == (customer.pk, resistor.pk)


def test_opening_the_checkout_is_an_event(client, customer, resistor):
    client.force_login(customer)
    client.post(
        "/cart/add/", {"part": resistor.pk, "quantity": "100"}, secure=True,
        headers={"user-agent": BROWSER},
    )  # fmt: skip
    response = client.get("/checkout/", secure=True, headers={"user-agent": BROWSER})

    assert response.status_code == 200
    assert [event.customer_id for event in stored(EventKind.CHECKOUT_START)] == [customer.pk]


def test_placing_and_paying_an_order_are_events_with_its_total(
    customer, resistor, django_capture_on_commit_callbacks
):
    fund(customer, "100.00")
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(customer, resistor, balance_amount=Decimal("100.00"))
    order.refresh_from_db()

    placed = stored(EventKind.ORDER_PLACED)
    paid = stored(EventKind.ORDER_PAID)
    assert [(e.order_id, e.amount) for e in placed] == [(order.pk, order.total)]
    assert [(e.order_id, e.customer_id) for e in paid] == [(order.pk, customer.pk)]


def test_an_unpaid_order_records_no_payment(
    customer, resistor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place_order(customer, resistor)

    assert len(stored(EventKind.ORDER_PLACED)) == 1
    assert stored(EventKind.ORDER_PAID) == []
