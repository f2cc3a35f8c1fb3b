"""Celery tasks of orders: small, take ids, safe to run twice (each email goes out once)."""

from smtplib import SMTPException

from celery import shared_task

from . import services

EMAIL_RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError, SMTPException),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "max_retries": 8,
}


@shared_task(**EMAIL_RETRY)
def inquiry_notify_staff(*, inquiry_id: int) -> bool:
    """Tell staff a quote request came in."""
    return services.inquiry_notify_staff_send(inquiry_id=inquiry_id)


@shared_task(**EMAIL_RETRY)
def inquiry_email_quote(*, inquiry_id: int) -> bool:
    """Send the customer the quote staff wrote."""
    return services.inquiry_email_quote_send(inquiry_id=inquiry_id)


@shared_task(acks_late=True)
def quotes_expire() -> int:
    """Beat job: quotes past their validity become expired (safe to run again)."""
    return services.quotes_expire()
