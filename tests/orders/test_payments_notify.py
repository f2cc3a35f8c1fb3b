"""The gateway's server-to-server notification endpoint, with real signed requests."""

import logging
import time
from decimal import Decimal

import pytest

from orders.models import GatewayNotification, Order, OrderStatus, PaymentStatus
from orders.payments import services
from orders.payments.providers import sandbox
from tests.orders.payments_helpers import place_online_order, signed

pytestmark = pytest.mark.django_db
URL = "/payments/notify/sandbox/"


@pytest.fixture
def payment(customer, resistor):
    order = place_online_order(customer, resistor)
    started, _url = services.payment_start_online(
        order_id=order.pk, customer=customer, idempotency_key="online-1"
    )
    return started


def deliver(client, body, meta):
    return client.post(URL, data=body, content_type="application/json", **meta)


def assert_nothing_written(payment):
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not GatewayNotification.objects.exists()
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.AWAITING_PAYMENT


def test_a_signed_notification_records_the_payment_and_is_acknowledged(client, payment):
    body, meta = signed(payment)

    response = deliver(client, body, meta)

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "payment": payment.provider_reference,
        "status": "succeeded",
        "duplicate": False,
    }
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.PAID
    assert GatewayNotification.objects.get().event_id == "evt_1"


def test_a_notification_with_a_wrong_signature_is_refused_and_logged(client, payment, caplog):
    body, meta = signed(payment, secret="not-the-secret")

    with caplog.at_level(logging.WARNING, logger="orders.payments.views"):
        response = deliver(client, body, meta)

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "The notification's signature does not match.",
    }
    assert "The notification's signature does not match." in caplog.text
    assert_nothing_written(payment)


def test_a_notification_changed_after_signing_is_refused(client, payment):
    body, meta = signed(payment)
    tampered = body.replace(b'"succeeded"', b'"failed"')

    response = deliver(client, tampered, meta)

    assert response.status_code == 400
    assert_nothing_written(payment)


def test_an_unsigned_notification_is_refused(client, payment):
    body, _meta = signed(payment)

    response = deliver(client, body, {})

    assert (response.status_code, response.json()["error"]) == (
        400,
        "The notification is not signed.",
    )
    assert_nothing_written(payment)


def test_a_notification_older_than_five_minutes_is_refused(client, payment):
    body, meta = signed(payment, timestamp=time.time() - 301)

    response = deliver(client, body, meta)

    assert response.status_code == 400
    assert response.json()["error"] == (
        "The notification is older than 300 seconds (or from the future)."
    )
    assert_nothing_written(payment)


def test_a_notification_for_another_amount_is_refused(client, payment):
    body, meta = signed(payment, amount=Decimal("1.00"))

    response = deliver(client, body, meta)

    assert response.status_code == 400
    assert response.json()["error"] == (
        f"The notification is for 1.00 CNY; payment {payment.provider_reference} is 14.60 CNY."
    )
    assert_nothing_written(payment)


def test_a_notification_in_another_currency_is_refused(client, payment):
    body, meta = signed(payment, currency="USD")

    response = deliver(client, body, meta)

    assert response.status_code == 400
    assert_nothing_written(payment)


def test_a_notification_for_an_unknown_payment_is_refused(client, payment):
    body, meta = signed(payment, reference="PAY-UNKNOWN")

    response = deliver(client, body, meta)

    assert response.status_code == 400
    assert response.json()["error"] == "No payment PAY-UNKNOWN at sandbox."
    assert_nothing_written(payment)


def test_a_notification_for_an_unknown_provider_is_refused(client, payment):
    body, meta = signed(payment)

    response = client.post(
        "/payments/notify/paypal/", data=body, content_type="application/json", **meta
    )

    assert response.status_code == 400
    assert_nothing_written(payment)


def test_a_malformed_body_is_refused(client, payment):
    body = b"not json"
    _body, meta = signed(payment)
    meta["HTTP_X_SANDBOX_SIGNATURE"] = sandbox.sign(body, int(meta["HTTP_X_SANDBOX_TIMESTAMP"]))

    response = deliver(client, body, meta)

    assert response.json()["error"] == "The notification's body is malformed."
    assert_nothing_written(payment)


def test_the_same_event_delivered_again_is_acknowledged_and_recorded_once(client, payment):
    body, meta = signed(payment)
    deliver(client, body, meta)

    again = deliver(client, body, meta)

    assert again.status_code == 200 and again.json()["duplicate"] is True
    order = Order.objects.get(pk=payment.order_id)
    assert order.amount_paid == Decimal("14.60")
    assert order.payments.filter(status=PaymentStatus.SUCCEEDED).count() == 1
    assert GatewayNotification.objects.count() == 1


def test_the_same_event_id_replayed_with_other_content_is_refused(client, payment):
    deliver(client, *signed(payment, status="failed"))

    response = deliver(client, *signed(payment, status="succeeded"))

    assert response.status_code == 400
    assert response.json()["error"] == "Event evt_1 was already received with other content."
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_a_failure_notification_marks_the_attempt_failed(client, payment):
    response = deliver(client, *signed(payment, status="failed"))

    assert response.json()["status"] == "failed"
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.AWAITING_PAYMENT


def test_the_endpoint_answers_only_posts(client, payment):
    response = client.get(URL)

    assert response.status_code == 405
