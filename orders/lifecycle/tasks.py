"""Celery tasks after an order is placed: telling the customer (inbox message and email,
orders.lifecycle.emails) and the beat jobs for unpaid orders. Small, take ids, safe to run
twice."""

from smtplib import SMTPException

from celery import shared_task

from . import emails, services

# ``once``: a redelivered email task (a worker lost midway, a relay publishing again)
# sends nothing more once it has sent (shop.tasks.StoreTask).
EMAIL_RETRY = {
    "acks_late": True,
    "once": True,
    "autoretry_for": (OSError, SMTPException),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "max_retries": 8,
}


@shared_task(**EMAIL_RETRY)
def order_placed_email(*, order_id: int) -> bool:
    return emails.send_order_email(order_id=order_id, kind="placed")


@shared_task(**EMAIL_RETRY)
def order_paid_email(*, order_id: int) -> bool:
    return emails.send_order_email(order_id=order_id, kind="paid")


@shared_task(**EMAIL_RETRY)
def order_cancelled_email(*, order_id: int) -> bool:
    return emails.send_order_email(order_id=order_id, kind="cancelled")


@shared_task(**EMAIL_RETRY)
def order_payment_reminder_email(*, order_id: int) -> bool:
    return emails.send_order_email(order_id=order_id, kind="reminder")


@shared_task(**EMAIL_RETRY)
def order_refunded_email(*, refund_id: int) -> bool:
    return emails.send_refund_email(refund_id=refund_id)


@shared_task(acks_late=True)
def cancel_overdue_orders() -> int:
    """Beat: cancel unpaid orders past their payment deadline."""
    return services.orders_cancel_overdue()


@shared_task(acks_late=True)
def remind_unpaid_orders() -> int:
    """Beat: remind customers of unpaid orders before they are cancelled."""
    return services.orders_remind_unpaid()
