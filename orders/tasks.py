"""Celery finds the orders app's tasks here; each capability keeps its own in its package."""

from .rfq.tasks import inquiry_email_quote, inquiry_notify_staff  # noqa: F401
