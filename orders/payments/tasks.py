"""Celery tasks of payments: refunds sent to the online gateway after commit."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def refund_send(*, refund_id: int) -> bool:
    """Send a refund to the original payment method through its provider, once."""
    from . import services

    return services.refund_send(refund_id=refund_id)
