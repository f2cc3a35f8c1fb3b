"""Celery tasks of payments: refunds sent to the online gateway after commit."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def refund_send(*, refund_id: int) -> bool:
    """Send a refund to the original payment method through its provider, once."""
    from . import services

    return services.refund_send(refund_id=refund_id)


def refund_send_safely(*, refund_id: int) -> None:
    """Queue the refund; a broker outage leaves it pending for staff to resend."""
    try:
        refund_send.delay(refund_id=refund_id)
    except Exception:  # noqa: BLE001
        logger.exception("Could not queue refund %s", refund_id)
