"""The outbox: queued work commits with the change it follows and survives a broker outage."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu import Connection

from customers.tasks import send_customer_email
from shop.models import OutboxMessage, TaskRun
from shop.outbox import outbox_relay
from shop.tasks import enqueue_on_commit
from tests.shop.outbox_helpers import closed_port, publishing_to

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = {"to": "buyer@example.com", "subject": "Verify", "body": "https://shop.example/v/1"}


@pytest.fixture
def broker_down(settings):
    with publishing_to(f"redis://127.0.0.1:{closed_port()}/0", settings):
        yield


@pytest.fixture
def broker_up(settings):
    """An in-memory broker: publishes succeed and the messages can be read back."""
    with publishing_to("memory://", settings):
        yield


def _queued_messages(queue="notifications") -> list[dict]:
    messages = []
    with Connection("memory://") as connection:
        simple = connection.SimpleQueue(queue)
        while simple.qsize():
            message = simple.get(timeout=1)
            messages.append({"id": message.headers["id"], "task": message.headers["task"]})
            message.ack()
        simple.close()
    return messages


def _backdate_pending():
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))


def test_a_job_queued_in_a_rolled_back_transaction_is_never_sent(broker_up):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_customer_email, **EMAIL)
        raise RuntimeError("the sign-up failed")

    assert not OutboxMessage.objects.exists()
    assert _queued_messages() == []


def test_a_committed_job_is_published_at_once_and_marked_dispatched(broker_up):
    with transaction.atomic():
        enqueue_on_commit(send_customer_email, **EMAIL)
        assert OutboxMessage.objects.get().dispatched_at is None

    message = OutboxMessage.objects.get()
    assert message.dispatched_at is not None and message.kwargs == EMAIL
    queued = _queued_messages()
    assert queued == [{"id": message.task_id, "task": "customers.tasks.send_customer_email"}]


def test_a_job_queued_while_the_broker_is_down_stays_pending_and_is_logged(broker_down, caplog):
    with caplog.at_level(logging.ERROR, logger="shop.tasks"), transaction.atomic():
        enqueue_on_commit(send_customer_email, **EMAIL)

    message = OutboxMessage.objects.get()
    assert message.dispatched_at is None
    assert message.attempts == 1 and "Error" in message.last_error
    assert message.available_at > timezone.now()  # backed off before the relay retries
    assert "could not queue task customers.tasks.send_customer_email" in caplog.text
    assert "https://shop.example" not in caplog.text  # arguments are not logged


def test_the_relay_publishes_pending_jobs_oldest_first_once(settings, broker_down):
    for number in range(3):
        enqueue_on_commit(send_customer_email, **{**EMAIL, "subject": f"n{number}"})
    _backdate_pending()

    with publishing_to("memory://", settings):
        first = outbox_relay(batch_size=2)
        second = outbox_relay()
        queued = _queued_messages()

    assert (first.published, second.published) == (3, 0)
    ids = list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))
    assert [item["id"] for item in queued] == [f"outbox-{pk}" for pk in ids]
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()


def test_the_relay_waits_for_a_job_the_committing_request_may_still_publish(broker_up):
    OutboxMessage.objects.create(
        task_name=send_customer_email.name,
        kwargs=EMAIL,
        available_at=timezone.now() + timedelta(seconds=30),
    )

    assert outbox_relay().published == 0


def test_the_relay_stops_at_a_broker_outage_and_backs_off_the_job_it_tried(broker_down):
    for _ in range(3):
        enqueue_on_commit(send_customer_email, **EMAIL)
    _backdate_pending()

    result = outbox_relay()

    assert result.broker_down and result.published == 0
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert rows[0].attempts == 2 and rows[0].available_at > timezone.now()
    assert [row.attempts for row in rows[1:]] == [1, 1]
    assert all(row.available_at <= timezone.now() for row in rows[1:])


def test_the_same_dedup_key_queues_one_job(broker_up):
    with transaction.atomic():
        enqueue_on_commit(send_customer_email, dedup_key="verify:7", **EMAIL)
        enqueue_on_commit(send_customer_email, dedup_key="verify:7", **EMAIL)

    assert OutboxMessage.objects.count() == 1
    assert len(_queued_messages()) == 1


def test_eager_tasks_run_after_commit_without_an_outbox_row():
    with transaction.atomic():
        enqueue_on_commit(send_customer_email, **EMAIL)
        assert mail.outbox == []

    assert [message.subject for message in mail.outbox] == ["Verify"]
    assert not OutboxMessage.objects.exists()


def test_an_email_task_delivered_twice_sends_once():
    send_customer_email.push_request(id="outbox-41", is_eager=False)
    try:
        send_customer_email(**EMAIL)
        send_customer_email(**EMAIL)
    finally:
        send_customer_email.pop_request()

    assert len(mail.outbox) == 1
    assert TaskRun.objects.filter(task_id="outbox-41").count() == 1


def test_healthz_reports_the_outbox_backlog(client, broker_down, settings):
    enqueue_on_commit(send_customer_email, **EMAIL)
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(seconds=600))

    body = client.get("/healthz", secure=True).json()

    assert body["outbox"]["pending"] == 1
    assert body["outbox"]["oldest_age_seconds"] >= 600
    assert body["checks"]["outbox"] == "backlog" and body["status"] == "degraded"
