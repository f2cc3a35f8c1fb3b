"""The pay panel, the balance and online pay buttons, the sandbox cashier and the return page."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from orders.models import Order, OrderStatus, PaymentStatus
from orders.payments import services
from tests.orders.payments_helpers import fund, place_online_order, place_order

pytestmark = pytest.mark.django_db


def panel(order, user) -> str:
    request = RequestFactory().get(order.get_absolute_url())
    request.user = user
    return render_to_string("orders/payments/_pay_panel.html", {"order": order}, request=request)


@pytest.fixture
def order(customer, resistor):
    return place_order(customer, resistor)


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


# --- the pay panel -----------------------------------------------------------------------------


def test_the_panel_shows_what_is_due_and_the_bank_details_with_the_reference(
    customer, order, settings
):
    html = panel(order, customer)

    assert "Still due: 14.60 CNY" in html
    assert settings.SHOP_BANK_DETAILS["account_number"] in html
    assert f'<strong class="reference" translate="no">{order.reference}</strong>' in html
    assert 'Pay 14.60 CNY online (<span translate="no">Sandbox (test payments)</span>)' in html


def test_the_panel_offers_the_balance_when_it_covers_the_amount(customer, order):
    fund(customer, "20.00")

    html = panel(order, customer)

    assert "Pay 14.60 CNY from my balance" in html


def test_the_panel_offers_part_of_a_smaller_balance(customer, order):
    fund(customer, "5.00")

    html = panel(order, customer)

    assert "Pay 5.00 CNY from my balance" in html
    assert "pay the rest by bank transfer or online" in html


def test_the_panel_offers_no_balance_payment_without_a_balance(customer, order):
    html = panel(order, customer)

    assert "from my balance" not in html
    assert "Your balance is 0.00 CNY." in html


def test_the_panel_shows_what_is_still_due_after_a_partial_transfer(customer, order, staff):
    services.payment_record_bank_transfer(reference=order.reference, amount="10", staff=staff)
    order.refresh_from_db()

    html = panel(order, customer)

    assert "Still due: 4.60 CNY" in html and "10.00 CNY" in html


def test_the_panel_of_a_paid_order_says_it_is_paid(customer, order, staff):
    services.payment_record_bank_transfer(reference=order.reference, amount="14.60", staff=staff)
    order.refresh_from_db()

    html = panel(order, customer)

    assert "Paid in full" in html and "Still due" not in html


# --- paying from the balance ---------------------------------------------------------------


def test_pay_from_balance_pays_the_order_and_returns_to_its_page(signed_in, customer, order):
    fund(customer, "20.00")

    response = signed_in.post(
        f"/payments/orders/{order.reference}/balance/", {"idempotency_key": "k1"}, follow=False
    )

    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_pay_from_balance_refused_says_why(signed_in, customer, order):
    response = signed_in.post(
        f"/payments/orders/{order.reference}/balance/", {"idempotency_key": "k1"}
    )

    message = str(list(response.wsgi_request._messages)[0])
    assert message == (
        "Your balance is 0.00 CNY, less than 14.60 CNY: pay part of it from the balance and "
        "the rest by bank transfer or online."
    )


def test_another_customers_order_cannot_be_paid_from_ones_balance(client, other_customer, order):
    fund(other_customer, "50.00")
    client.force_login(other_customer)

    response = client.post(f"/payments/orders/{order.reference}/balance/", {"idempotency_key": "k"})

    assert response.status_code == 404
    assert not order.payments.exists()


def test_paying_needs_signing_in(client, order):
    response = client.post(f"/payments/orders/{order.reference}/online/", {"idempotency_key": "k"})

    assert response.status_code == 302 and "/login" in response["Location"]


# --- the sandbox journey -------------------------------------------------------------------


def start_online(client, order):
    response = client.post(f"/payments/orders/{order.reference}/online/", {"idempotency_key": "k1"})
    return response["Location"]


def test_the_sandbox_journey_pays_the_order_through_its_notification(signed_in, customer, resistor):
    order = place_online_order(customer, resistor)

    cashier = start_online(signed_in, order)
    page = signed_in.get(cashier)
    back = signed_in.post(cashier, {"action": "pay"})
    landing = signed_in.get(back["Location"])

    assert page.status_code == 200 and b"14.60 CNY" in page.content
    assert b'name="robots" content="noindex' in page.content
    assert back["Location"].startswith("/payments/return/")
    assert b"Payment received" in landing.content
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.payments.get().notifications.count() == 1


def test_the_return_page_waits_for_the_notification_and_marks_nothing_paid(
    signed_in, customer, resistor
):
    order = place_online_order(customer, resistor)
    cashier = start_online(signed_in, order)
    token = cashier.rstrip("/").rsplit("/", 1)[-1]

    landing = signed_in.get(f"/payments/return/{token}/")

    assert b"Waiting for confirmation" in landing.content
    assert order.payments.get().status == PaymentStatus.PENDING
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_the_sandbox_fail_button_leaves_the_order_unpaid(signed_in, customer, resistor):
    order = place_online_order(customer, resistor)
    cashier = start_online(signed_in, order)

    back = signed_in.post(cashier, {"action": "fail"})
    landing = signed_in.get(back["Location"])

    assert b"Payment not completed" in landing.content
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_another_customers_sandbox_page_is_not_found(
    signed_in, client, other_customer, customer, resistor
):
    order = place_online_order(customer, resistor)
    cashier = start_online(signed_in, order)
    client.force_login(other_customer)

    response = client.post(cashier, {"action": "pay"})

    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).amount_paid == Decimal("0.00")


def test_the_sandbox_page_is_gone_when_the_sandbox_is_switched_off(
    signed_in, customer, resistor, settings
):
    order = place_online_order(customer, resistor)
    cashier = start_online(signed_in, order)
    settings.ORDERS_PAYMENT_PROVIDERS = {}

    assert signed_in.get(cashier).status_code == 404
