"""Celery finds the orders app's tasks here; each capability keeps its own in its package."""

from .fulfilment.tasks import complete_orders, order_allocate  # noqa: F401
from .lifecycle.tasks import (  # noqa: F401
    cancel_overdue_orders,
    order_cancelled_email,
    order_paid_email,
    order_payment_reminder_email,
    order_placed_email,
    remind_unpaid_orders,
)
from .payments.tasks import refund_send  # noqa: F401
from .rfq.tasks import inquiry_email_quote, inquiry_notify_staff, quotes_expire  # noqa: F401
