"""Each order message a customer gets (placed, paid, reminder, cancelled, refunded) is one
inbox message and one email, text and HTML, with the order's own data."""

from datetime import timedelta

import pytest
from django.core import mail

from customers.models import Notification, NotificationKind
from orders.lifecycle.services import order_cancel, orders_remind_unpaid
from orders.payments import services as payments
from tests.customers.factories import CustomerFactory
from tests.orders.payments_helpers import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(customer, resistor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return place_order(customer, resistor, po_number="PO-2026-118")


def message(kind):
    return Notification.objects.get(kind=kind)


def test_the_placed_message_is_in_the_inbox_with_bank_details_po_and_due_time(placed):
    told = message(NotificationKind.ORDER_PLACED)

    assert told.customer == placed.customer and told.link == placed.get_absolute_url()
    assert told.subject == f"Order {placed.reference} received (PO PO-2026-118)"
    assert "Partline Electronics Co., Ltd." in told.body_text
    assert "SWIFT BKCHCNBJ45A" in told.body_text
    assert "Unpaid orders are cancelled automatically after" in told.body_text
    assert "PO-2026-118" in told.body_html and "<html" in told.body_html


def test_the_placed_email_carries_an_html_part(placed):
    html, mimetype = mail.outbox[-1].alternatives[0]

    assert mimetype == "text/html"
    assert f"quoting the reference {placed.reference}." in html


def test_html_of_a_message_escapes_what_the_customer_typed(
    customer, resistor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place_order(customer, resistor, po_number="<b>PO&1</b>")

    told = message(NotificationKind.ORDER_PLACED)
    assert "(PO <b>PO&1</b>)" in told.subject
    assert "Your PO number: <b>PO&1</b>" in told.body_text
    assert "&lt;b&gt;PO&amp;1&lt;/b&gt;" in told.body_html and "<b>PO" not in told.body_html


def test_the_paid_message_says_the_payment_arrived(
    placed, django_capture_on_commit_callbacks
):
    staff = CustomerFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        payments.payment_record_bank_transfer(
            reference=placed.reference, amount="14.60", staff=staff, bank_reference="B-1"
        )

    told = message(NotificationKind.ORDER_PAID)
    assert told.subject == f"Order {placed.reference} is paid (PO PO-2026-118)"
    assert "We have received your payment" in told.body_text
    assert mail.outbox[-1].subject == told.subject


def test_the_reminder_repeats_how_to_pay_before_the_automatic_cancel(
    placed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orders_remind_unpaid(now=placed.payment_due_at - timedelta(hours=1))

    told = message(NotificationKind.ORDER_UNPAID_REMINDER)
    assert "Please transfer 14.60 CNY to" in told.body_text
    assert "Unpaid orders are cancelled automatically after" in told.body_text


def test_the_cancelled_message_says_why(placed, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=placed.pk, actor=customer, reason="Ordered the wrong value")

    told = message(NotificationKind.ORDER_CANCELLED)
    assert "Why: Ordered the wrong value" in told.body_text


def test_a_refund_to_the_balance_is_told_once_with_its_amount(
    placed, django_capture_on_commit_callbacks
):
    staff = CustomerFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        payments.payment_record_bank_transfer(
            reference=placed.reference, amount="14.60", staff=staff, bank_reference="B-1"
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # a double click on the refund form
            payments.refund_to_balance(
                order_id=placed.pk,
                amount="4.60",
                staff=staff,
                reason="Short shipped",
                idempotency_key="r1",
            )

    told = message(NotificationKind.ORDER_REFUNDED)
    assert told.subject == f"Order {placed.reference}: 4.60 CNY refunded (PO PO-2026-118)"
    assert "to your account balance" in told.body_text and "Why: Short shipped" in told.body_text
    assert [m.subject for m in mail.outbox] == [told.subject]


def test_running_the_placed_task_again_writes_no_second_message(placed):
    from orders.lifecycle.emails import send_order_email

    send_order_email(order_id=placed.pk, kind="placed")

    assert Notification.objects.filter(kind=NotificationKind.ORDER_PLACED).count() == 1
    assert len(mail.outbox) == 1
