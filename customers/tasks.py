"""Celery tasks of customers: small, idempotent, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def expire_points() -> int:
    """Beat job: expire earned points past their date (running twice expires once)."""
    return services.points_expire_due()
