"""The outbox: write a task's row with the change it follows, publish it after commit, and
relay what the broker could not take then.

Publishing is at least once: the committing request publishes its row at once (the fast
path) and marks it dispatched; a row still pending after ``OUTBOX_CLAIM_SECONDS`` (the broker
was down, or the process died between commit and publish) is published by the relay. Each
publish of a row carries the same Celery task id (``outbox-<id>``), and the tasks that send
email take effect once per task id (``StoreTask.once``).

Two relays never publish one row at the same time: a relay claims its batch by pushing the
rows' ``available_at`` past a lease, under ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL
and by a conditional ``UPDATE`` per row on SQLite.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger("shop.tasks")


@dataclass(frozen=True)
class RelayResult:
    published: int = 0
    failed: int = 0
    broker_down: bool = False


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the ``attempts``-th failed publish: doubling from the base, capped."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)
    )


def outbox_message_add(*, task_name: str, kwargs: dict, dedup_key: str | None = None):
    """Write the row in the caller's transaction (at once outside one). With a ``dedup_key``
    already queued, nothing is written and None is returned."""
    available_at = timezone.now() + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    fields = {"task_name": task_name, "kwargs": kwargs, "available_at": available_at}
    if dedup_key is None:
        return OutboxMessage.objects.create(**fields)
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(dedup_key=dedup_key, **fields)
    except IntegrityError:
        return None


def _describe(message: OutboxMessage) -> str:
    # The arguments may carry sign-in links: only their names are logged.
    return f"{message.task_name} (arguments {', '.join(sorted(message.kwargs)) or 'none'})"


def _send(message: OutboxMessage) -> None:
    from .celery import app
    from .tasks import PUBLISH_RETRY_POLICY

    options = {"task_id": message.task_id, "retry_policy": PUBLISH_RETRY_POLICY}
    task = app.tasks.get(message.task_name)
    if task is not None:
        task.apply_async(kwargs=message.kwargs, **options)
    else:
        app.send_task(message.task_name, kwargs=message.kwargs, **options)


def _mark_dispatched(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now(), last_error=""
    )


def _mark_failed(message: OutboxMessage, attempts: int, error: BaseException) -> None:
    OutboxMessage.objects.filter(pk=message.pk, dispatched_at__isnull=True).update(
        available_at=timezone.now() + retry_delay(attempts),
        last_error=repr(error)[:1000],
    )


def outbox_message_publish(*, message: OutboxMessage) -> bool:
    """The fast path, after the commit that wrote the row: publish it now; on a broker
    error leave it pending for the relay. Never raises for an unreachable broker."""
    from .tasks import BROKER_ERRORS

    try:
        _send(message)
    except BROKER_ERRORS as error:
        logger.error(
            "could not queue task %s: broker unreachable, kept in the outbox (#%s): %r",
            _describe(message),
            message.pk,
            error,
        )
        try:
            OutboxMessage.objects.filter(pk=message.pk, dispatched_at__isnull=True).update(
                attempts=F("attempts") + 1
            )
            _mark_failed(message, 1, error)
        except DatabaseError:
            logger.exception("could not record the failed publish of outbox #%s", message.pk)
        return False
    try:
        _mark_dispatched(message)
    except DatabaseError:  # published: the relay may publish it again, which tasks absorb
        logger.exception("could not mark outbox #%s dispatched", message.pk)
    return True


def _claim(*, now: datetime, batch_size: int) -> list[OutboxMessage]:
    lease = now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    due = OutboxMessage.objects.filter(dispatched_at__isnull=True, available_at__lte=now)
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            rows = list(due.order_by("id").select_for_update(skip_locked=True)[:batch_size])
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                available_at=lease, attempts=F("attempts") + 1
            )
    else:
        rows = [
            row
            for row in due.order_by("id")[:batch_size]
            if due.filter(pk=row.pk).update(available_at=lease, attempts=F("attempts") + 1)
        ]
    for row in rows:
        row.attempts += 1
    return rows


def outbox_relay(*, batch_size: int | None = None, max_batches: int = 10) -> RelayResult:
    """Publish pending rows whose time has come, oldest first, in batches. Stops at the
    first unreachable-broker error (the rest stay pending, untouched); safe to run twice
    and from several processes at once."""
    from .tasks import BROKER_ERRORS

    batch_size = batch_size or settings.OUTBOX_RELAY_BATCH_SIZE
    published = failed = 0
    for _ in range(max_batches):
        rows = _claim(now=timezone.now(), batch_size=batch_size)
        for index, message in enumerate(rows):
            try:
                _send(message)
            except BROKER_ERRORS as error:
                _mark_failed(message, message.attempts, error)
                untried = [row.pk for row in rows[index + 1 :]]
                OutboxMessage.objects.filter(pk__in=untried).update(
                    available_at=timezone.now(), attempts=F("attempts") - 1
                )
                logger.warning("outbox relay: broker unreachable: %r", error)
                return RelayResult(published, failed + 1, broker_down=True)
            except Exception as error:  # a row that cannot be published waits, backed off
                logger.exception("outbox relay: could not publish %s", _describe(message))
                _mark_failed(message, message.attempts, error)
                failed += 1
            else:
                _mark_dispatched(message)
                published += 1
        if len(rows) < batch_size:
            break
    return RelayResult(published, failed)


def outbox_prune(*, now: datetime | None = None) -> int:
    """Delete rows dispatched more than ``OUTBOX_KEEP_DAYS`` ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutboxMessage.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted


def outbox_backlog(*, now: datetime | None = None) -> dict:
    """Pending rows and the age of the oldest, for /healthz."""
    now = now or timezone.now()
    pending = OutboxMessage.objects.filter(dispatched_at__isnull=True).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    oldest = pending["oldest"]
    return {
        "pending": pending["count"],
        "oldest_age_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
    }
