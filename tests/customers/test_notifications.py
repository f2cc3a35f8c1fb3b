"""notify(): one inbox message and one email per event, recorded attempts, marketing opt-out."""

from smtplib import SMTPServerDisconnected
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import mail

from customers.models import EmailDelivery, Notification, NotificationKind
from customers.notifications import (
    notification_email_send,
    notification_mark_read,
    notify,
    unread_count,
)

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

ORDER = SimpleNamespace(reference="SO-7KQ2M9X", po_number="PO-1138")


def shipped(customer, key="order-shipped:1"):
    return notify(
        customer=customer,
        kind=NotificationKind.ORDER_SHIPPED,
        dedup_key=key,
        context={"order": ORDER, "carrier": "SF Express", "tracking_number": "SF1234567890"},
        link="/account/orders/SO-7KQ2M9X/",
    )


def test_notify_writes_the_message_and_emails_it_after_the_commit(
    django_capture_on_commit_callbacks,
):
    customer = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = shipped(customer)

    assert message.subject == "Order SO-7KQ2M9X has shipped (PO PO-1138)"
    assert "SF1234567890" in message.body_text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]
    assert "http://" in mail.outbox[0].body and "/account/orders/SO-7KQ2M9X/" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.email_status == EmailDelivery.SENT
    assert message.email_attempts == 1


def test_the_same_event_told_twice_makes_one_message_and_one_email(
    django_capture_on_commit_callbacks,
):
    customer = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = shipped(customer)
        second = shipped(customer)

    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_sent_message_is_not_sent_again_when_its_task_runs_again(
    django_capture_on_commit_callbacks,
):
    customer = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = shipped(customer)

    assert notification_email_send(notification_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_is_recorded_and_raised_for_the_retry():
    customer = CustomerFactory()
    message = shipped(customer)
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send",
            side_effect=SMTPServerDisconnected("Connection unexpectedly closed"),
        ),
        pytest.raises(SMTPServerDisconnected),
    ):
        notification_email_send(notification_id=message.pk)

    message.refresh_from_db()
    assert message.email_status == EmailDelivery.FAILED
    assert message.email_attempts == 1
    assert "Connection unexpectedly closed" in message.email_last_error
    assert notification_email_send(notification_id=message.pk) is True
    message.refresh_from_db()
    assert (message.email_status, message.email_attempts) == (EmailDelivery.SENT, 2)


def test_marketing_messages_are_not_written_for_a_customer_who_turned_them_off():
    customer = CustomerFactory()
    customer.profile.marketing_messages = False
    customer.profile.save()

    told = notify(
        customer=customer,
        kind=NotificationKind.CAMPAIGN,
        dedup_key="campaign:1",
        context={"title": "Spring MLCC week", "message": "10% off every MLCC."},
    )

    assert told is None
    assert not Notification.objects.filter(kind=NotificationKind.CAMPAIGN).exists()
    assert shipped(customer) is not None  # order messages always go


def test_marketing_messages_go_to_a_customer_who_allows_them():
    customer = CustomerFactory()

    told = notify(
        customer=customer,
        kind=NotificationKind.CAMPAIGN,
        dedup_key="campaign:1",
        context={"title": "Spring MLCC week", "message": "10% off every MLCC."},
    )

    assert told.subject == "Spring MLCC week"
    assert "Turn them off" in told.body_text


def test_unread_count_falls_when_messages_are_read():
    customer = CustomerFactory()
    shipped(customer, "order-shipped:1")
    shipped(customer, "order-shipped:2")

    assert unread_count(customer) == 2
    notification_mark_read(customer=customer)
    assert unread_count(customer) == 0
