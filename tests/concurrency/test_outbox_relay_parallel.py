"""Relays running at once on real PostgreSQL connections publish each outbox row once."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from shop import outbox
from shop.models import OutboxMessage
from tests.concurrency.parallel import run_in_parallel

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_four_relays_at_once_publish_each_pending_job_exactly_once(monkeypatch):
    # given 120 jobs the broker could not take when they were written
    due = timezone.now() - timedelta(seconds=1)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            task_name="customers.tasks.send_customer_email", kwargs={"n": n}, available_at=due
        )
        for n in range(120)
    )
    published, lock = Counter(), threading.Lock()

    def send(message):
        time.sleep(0.002)  # a broker round trip, so the relays overlap
        with lock:
            published[message.pk] += 1

    monkeypatch.setattr(outbox, "_send", send)

    # when four relays run at the same moment, in small batches
    results = run_in_parallel(lambda i: outbox.outbox_relay(batch_size=10, max_batches=20), 4)

    # then every job is published once, and all are marked dispatched
    assert all(isinstance(r, outbox.RelayResult) for r in results), results
    assert sum(r.published for r in results) == 120
    assert set(published.values()) == {1} and len(published) == 120
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
