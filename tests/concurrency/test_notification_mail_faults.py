"""Customer messages against a mail server that is down: a real redis-server, a real
``celery -A shop worker`` sending by SMTP to a local port that refuses connections, then a
real SMTP server (aiosmtpd) started on that port. The email is retried and arrives once."""

import email
import time
from contextlib import ExitStack

import pytest
from aiosmtpd.controller import Controller

from customers.models import EmailDelivery, Notification, NotificationKind
from customers.notifications import notify
from shop.models import OutboxMessage
from tests.customers.factories import CustomerFactory
from tests.shop.outbox_helpers import closed_port, publishing_to

from . import test_outbox_faults as faults
from .test_outbox_faults import RedisServer, _logs, _process_env, _start_worker, _wait_for

# The same needs as the outbox drills: a redis-server and the services of run_tests.py.
pytestmark = faults.pytestmark


class Inbox:
    """aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


def _told(customer):
    return notify(
        customer=customer,
        kind=NotificationKind.CAMPAIGN,
        dedup_key="campaign:reel-week",
        context={"title": "Reel week: 5 % off full reels", "message": "Until Friday."},
    )


def test_an_email_the_mail_server_refused_is_retried_and_arrives_once(tmp_path, settings):
    smtp_port = closed_port()  # nothing listens here yet: connections are refused
    server = RedisServer(tmp_path)
    with ExitStack() as stack:
        server.start()
        stack.callback(server.stop)
        stack.enter_context(publishing_to(server.url, settings))
        env = _process_env(
            tmp_path,
            server.url,
            tmp_path,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            NOTIFICATIONS_EMAIL_RETRY_BASE_SECONDS="1",
            NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS="2",
        )
        _start_worker(stack, env, tmp_path)

        # given a message whose email the worker tries while the mail server is down
        message = _told(CustomerFactory(email="buyer@example.com"))
        assert OutboxMessage.objects.get(task_name="customers.tasks.deliver_notification_email")

        def failed_twice():
            message.refresh_from_db()
            return message.email_status == EmailDelivery.FAILED and message.email_attempts >= 2

        try:
            _wait_for(failed_twice, timeout=60, what="two refused attempts")
        except AssertionError:
            pytest.fail(f"{message.email_status} {message.email_attempts}\n{_logs(tmp_path)}")
        assert "ConnectionRefusedError" in message.email_last_error

        # when the mail server comes up on its port
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        stack.callback(controller.stop)

        # then the next retry delivers it, once, and the message records it
        try:
            _wait_for(lambda: inbox.messages, timeout=60, what="the email to arrive")
        except AssertionError:
            pytest.fail(_logs(tmp_path))
        time.sleep(4)  # another retry, were one still scheduled, would have landed by now
        assert [m["Subject"] for m in inbox.messages] == ["Reel week: 5 % off full reels"]
        assert inbox.messages[0]["To"] == "buyer@example.com"
        message.refresh_from_db()
        assert message.email_status == EmailDelivery.SENT
        assert message.email_last_error == ""
        assert Notification.objects.count() == 1
