"""Queueing Celery tasks after a commit, without ever losing them or failing the request.

``enqueue_on_commit(task, **kwargs)`` is the one way the store queues work that must follow
a commit. It writes an outbox row (shop.models.OutboxMessage) in the caller's transaction,
so the job commits or rolls back with the business change, and publishes it once the
transaction commits. While the broker is down the row stays pending (logged as an error)
and the relay publishes it later (``manage.py relay_outbox --loop`` and the beat job
below); the request goes on either way. See shop/outbox.py.

With ``CELERY_TASK_ALWAYS_EAGER`` (the demo without Redis, and the test suite) there is no
broker to lose work to: no row is written and the task runs in-process after the commit.

Apps that may not import ``shop`` (catalog, customers, promotions) reach it through
Celery's own API: the project's task class (``StoreTask``, set in shop/celery.py) routes
``task.delay_on_commit(**kwargs)`` here.
"""

from __future__ import annotations

import functools
import logging

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import IntegrityError, transaction

logger = logging.getLogger(__name__)

#: What an unreachable broker looks like when a task is published.
BROKER_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)
# One quick retry at most: the request that queues is waiting.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


def enqueue_on_commit(task, *, dedup_key: str | None = None, **kwargs) -> None:
    """Queue ``task(**kwargs)`` with the current transaction: written now, published once it
    commits (at once outside one). A ``dedup_key`` already in the outbox queues nothing."""
    if task.app.conf.task_always_eager:
        transaction.on_commit(functools.partial(_run_eagerly, task, kwargs))
        return
    from .outbox import outbox_message_add, outbox_message_publish

    message = outbox_message_add(task_name=task.name, kwargs=kwargs, dedup_key=dedup_key)
    if message is not None:
        transaction.on_commit(functools.partial(outbox_message_publish, message=message))


def _run_eagerly(task, kwargs: dict) -> None:
    try:
        task.apply_async(kwargs=kwargs)
    except BROKER_ERRORS as error:
        logger.error("could not run task %s in-process: %r", task.name, error)


class StoreTask(DjangoTask):
    """The project's task class: ``delay_on_commit`` queues through ``enqueue_on_commit``.

    ``once = True`` (``@shared_task(once=True)``) makes a task take effect once per task id:
    it runs inside a transaction that records its id (shop.models.TaskRun), so a redelivery
    after it finished does nothing, a copy running at the same time waits and then does
    nothing, and a run killed midway leaves no record and runs again."""

    once = False

    def delay_on_commit(self, *args, **kwargs) -> None:
        if args:
            raise TypeError(f"{self.name}: pass task arguments by name (ids, not objects)")
        enqueue_on_commit(self, **kwargs)

    def apply_async_on_commit(self, *args, **kwargs) -> None:
        raise TypeError(f"{self.name}: use delay_on_commit(**kwargs)")

    def __call__(self, *args, **kwargs):
        task_id = self.request.id
        if not self.once or not task_id or self.request.is_eager:
            return super().__call__(*args, **kwargs)
        from .models import TaskRun

        with transaction.atomic():
            try:
                with transaction.atomic():
                    TaskRun.objects.create(task_id=task_id, task_name=self.name)
            except IntegrityError:
                logger.info("task %s %s already took effect: skipped", self.name, task_id)
                return None
            return super().__call__(*args, **kwargs)


@shared_task(acks_late=True)
def relay_outbox() -> int:
    """Beat: publish outbox rows the broker could not take when they were written, and
    forget those dispatched long ago. Safe beside the relay process."""
    from .outbox import outbox_prune, outbox_relay

    published = outbox_relay().published
    outbox_prune()
    return published


@shared_task(acks_late=True, ignore_result=True)
def refresh_shared_caches() -> None:
    """Beat: rebuild the catalog-wide aggregates (search vocabulary, home page counts) and the
    listing indexes of changed categories before they go stale, so that no visitor's request
    is the one that finds them old. Running it twice only computes them twice."""
    from catalog.listing import refresh_listing_indexes
    from catalog.search import refresh_vocabulary

    from .selectors import refresh_home_catalog

    refresh_vocabulary()
    refresh_home_catalog()
    refresh_listing_indexes()
