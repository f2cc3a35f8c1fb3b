"""Queueing Celery tasks after a commit, without ever failing the request that queues them.

``enqueue_on_commit(task, **kwargs)`` is the one way the store queues work that must follow
a commit. The broker being down is logged (an error, so it reaches someone) and the request
goes on: the customer's saved sign-up or upload is not turned into an error page. Work
queued while the broker is down is lost until a persistent outbox replaces this helper;
its signature stays this simple so that swap touches nothing else.

Apps that may not import ``shop`` (catalog, customers, promotions) reach it through
Celery's own API: the project's task class (``StoreTask``, set in shop/celery.py) routes
``task.delay_on_commit(**kwargs)`` here.
"""

from __future__ import annotations

import functools
import logging

import kombu.exceptions
import redis.exceptions
from celery.contrib.django.task import DjangoTask
from django.db import transaction

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


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue ``task(**kwargs)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(functools.partial(_publish, task, kwargs))


def _publish(task, kwargs: dict) -> None:
    try:
        task.apply_async(kwargs=kwargs, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_ERRORS as error:
        # The arguments may carry sign-in links: only their names are logged.
        logger.error(
            "could not queue task %s (arguments %s): broker unreachable: %r",
            task.name,
            ", ".join(sorted(kwargs)) or "none",
            error,
        )


class StoreTask(DjangoTask):
    """The project's task class: ``delay_on_commit`` queues through ``enqueue_on_commit``."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        if args:
            raise TypeError(f"{self.name}: pass task arguments by name (ids, not objects)")
        enqueue_on_commit(self, **kwargs)

    def apply_async_on_commit(self, *args, **kwargs) -> None:
        raise TypeError(f"{self.name}: use delay_on_commit(**kwargs)")
