"""Celery tasks of fulfilment (queue "fulfilment"). Small, take ids, safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=10,
)
def order_allocate(*, order_id: int) -> bool:
    """A paid order goes to the warehouse: pick list and purchase requests, made once."""
    return services.order_allocate(order_id=order_id) is not None


@shared_task(acks_late=True)
def complete_orders() -> int:
    """Beat: complete delivered orders and those shipped long enough ago."""
    return services.orders_complete_due()
