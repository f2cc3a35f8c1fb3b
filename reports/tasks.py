"""Beat jobs of the reports: rebuild the daily rollups (safe to run twice)."""

from celery import shared_task
from django.conf import settings

from . import rollups


@shared_task(acks_late=True)
def refresh_recent_rollups() -> int:
    """Every 15 minutes: today and yesterday."""
    return rollups.rollups_refresh(days=2)


@shared_task(acks_late=True)
def refresh_nightly_rollups() -> int:
    """Once a night: the last REPORTS_NIGHTLY_DAYS days (late refunds, cancellations)."""
    return rollups.rollups_refresh(days=settings.REPORTS_NIGHTLY_DAYS)
