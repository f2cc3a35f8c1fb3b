"""Celery tasks of promotions: small, idempotent, safe to run twice."""

from celery import shared_task

from . import coupon_reminders, points, services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def coupons_expire() -> int:
    """Beat job: mark available coupons past their validity as expired."""
    return services.coupons_expire()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def coupons_remind_expiring() -> int:
    """Beat job: tell customers of coupons about to expire, once per coupon."""
    return coupon_reminders.coupons_remind_expiring()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def leaderboards_close() -> int:
    """Beat job: give the prizes of leaderboards whose period has ended, once."""
    from .leaderboards import leaderboards_close_due

    return leaderboards_close_due()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def segment_campaign_send(*, campaign_id: int) -> int:
    """A campaign's coupons and messages; safe to run twice (once per customer)."""
    from .segments import segment_campaign_send as send

    return send(campaign_id=campaign_id)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def points_expiring_remind() -> int:
    """Beat job: remind customers, once per batch, of points about to expire."""
    return points.points_expiring_remind()
