"""Celery tasks of customers: small, idempotent, safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def expire_points() -> int:
    """Beat job: expire earned points past their date (running twice expires once)."""
    return services.points_expire_due()


@shared_task(
    acks_late=True,
    once=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def send_customer_email(*, to: str, subject: str, body: str) -> None:
    """Send one account email, once per queued email (``once``: a redelivery does nothing).
    Retried on mail-server errors; a run cut off after the mail server took the message can
    deliver it twice, which beats not delivering a sign-in link at all."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])


def enqueue_customer_email(*, to: str, subject: str, body: str) -> None:
    """Queue the email once the surrounding transaction commits: a request never waits on
    the mail server, a rolled-back sign-up sends nothing, and an unreachable broker is
    logged rather than failing the request (the project's ``delay_on_commit``)."""
    send_customer_email.delay_on_commit(to=to, subject=subject, body=body)


@shared_task(bind=True, acks_late=True, max_retries=8)
def deliver_notification_email(self, *, notification_id: int) -> bool:
    """Send one notification's email. A message already sent is not sent again, so a
    redelivered or repeated task sends once. Mail-server errors are recorded on the message
    and retried with backoff (NOTIFICATIONS_EMAIL_RETRY_*: 30 s doubling, at most 30 min);
    in-process runs (the demo without a broker) record the failure for staff to resend
    instead of retrying inline."""
    from .notifications import notification_email_send

    try:
        return notification_email_send(notification_id=notification_id)
    except (OSError, SMTPException) as error:
        if self.request.is_eager:
            return False
        countdown = min(
            settings.NOTIFICATIONS_EMAIL_RETRY_BASE_SECONDS * 2**self.request.retries,
            settings.NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS,
        )
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(acks_late=True)
def flush_behaviour_events() -> int:
    """Beat job: write buffered behaviour events in batches (each event is stored once,
    however often this runs)."""
    from . import behaviour

    return behaviour.events_flush()


@shared_task(acks_late=True)
def prune_behaviour_events() -> int:
    """Beat job: delete raw behaviour events past the retention window."""
    from . import behaviour

    return behaviour.events_prune()
