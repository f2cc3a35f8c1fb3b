"""Staff record received bank transfers and read payments, notifications and refunds."""

from decimal import Decimal

import pytest

from orders.models import OrderStatus, Payment
from orders.payments import services
from orders.payments.providers import sandbox
from tests.orders.payments_helpers import place_online_order, place_order

pytestmark = pytest.mark.django_db
RECORD = "/admin/orders/payment/record-transfer/"


@pytest.fixture
def admin(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def order(customer, resistor):
    return place_order(customer, resistor)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_a_received_transfer_recorded_by_staff_pays_the_order(admin, order, staff):
    response = admin.post(
        RECORD,
        {"reference": order.reference.lower(), "amount": "14.60", "bank_reference": "BOC-9"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/orders/payment/"
    assert messages_of(response) == [f"14.60 CNY recorded on {order.reference}: the order is paid."]
    payment = Payment.objects.get()
    assert (payment.recorded_by, payment.provider_reference) == (staff, "BOC-9")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_transfer_for_an_unknown_reference_is_refused_with_a_message(admin, order):
    response = admin.post(RECORD, {"reference": "SO-2222222", "amount": "14.60"})

    assert response.status_code == 200
    assert "No order has the reference SO-2222222." in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("fourteen", "Enter the amount as a number, e.g. 120.50."),
        ("0", "The amount must be greater than zero."),
        ("-14.60", "The amount must be greater than zero."),
        ("14.605", "Amounts have at most 2 decimal places."),
    ],
)
def test_a_transfer_with_a_bad_amount_is_refused_with_a_message(admin, order, amount, message):
    response = admin.post(RECORD, {"reference": order.reference, "amount": amount})

    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert not Payment.objects.exists()


def test_the_form_is_reachable_from_the_admin_index_and_the_payments_list(admin):
    index = admin.get("/admin/").content.decode()
    listing = admin.get("/admin/orders/payment/").content.decode()
    add = admin.get("/admin/orders/payment/add/")

    assert 'href="/admin/orders/payment/add/"' in index
    assert add["Location"] == RECORD
    assert f'href="{RECORD}"' in listing and "Record a received bank transfer" in listing
    assert admin.get(RECORD).status_code == 200


def test_payments_notifications_and_refunds_are_listed_read_only(admin, customer, resistor, staff):
    order = place_online_order(customer, resistor)
    payment, _ = services.payment_start_online(
        order_id=order.pk, customer=customer, idempotency_key="o"
    )
    headers, body = sandbox.notification_for(payment, "succeeded", event_id="evt_admin")
    services.notification_receive(provider_name="sandbox", headers=headers, body=body)
    services.refund_to_balance(order_id=order.pk, amount=Decimal("1.00"), staff=staff, reason="x")

    payments = admin.get("/admin/orders/payment/").content.decode()
    notifications = admin.get("/admin/orders/gatewaynotification/").content.decode()
    refunds = admin.get("/admin/orders/refund/").content.decode()
    change = admin.get(f"/admin/orders/payment/{payment.pk}/change/").content.decode()

    assert payment.provider_reference in payments
    assert "evt_admin" in notifications
    assert order.reference in refunds
    assert 'name="_save"' not in change
