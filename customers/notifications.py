"""Telling a customer something: one inbox message and one email per event.

``notify(customer=…, kind=…, dedup_key=…, context=…, link=…)`` is the one way any app tells a
customer about an order, a payment, a shipment, a quote, a return or a promotion. It renders
the kind's templates (operations' own from the admin, else ``templates/notifications/<kind>/``
subject.txt, body.txt and, when present, body.html: customers.notification_templates),
writes a ``Notification`` in the caller's transaction, in the customer's language
(``User.language``; the message keeps it), and queues its
email for after the commit (through the outbox, so a broker outage loses nothing). The same
``dedup_key`` for the same customer writes nothing new: one message per event however often
the caller runs. Marketing kinds are not written at all for a customer who turned them off.

Sending is ``notification_email_send`` (the task ``customers.tasks.deliver_notification_email``
calls it), which records every attempt: sent, failed, how many attempts, the last error.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .models import MARKETING_KINDS, CustomerProfile, EmailDelivery, Notification
from .notification_templates import render_message


def wants_marketing(customer) -> bool:
    profile = CustomerProfile.objects.filter(user=customer).only("marketing_messages").first()
    return profile is None or profile.marketing_messages


def notify(
    *, customer, kind: str, dedup_key: str, context: dict | None = None, link: str = ""
) -> Notification | None:
    """Write the message about one event for ``customer`` and queue its email after the
    commit. Returns the message (the existing one when the event was already told), or
    ``None`` when the customer turned off marketing messages and ``kind`` is one."""
    if kind in MARKETING_KINDS and not wants_marketing(customer):
        return None
    existing = Notification.objects.filter(customer=customer, dedup_key=dedup_key).first()
    if existing is not None:
        return existing
    full_context = {
        "customer": customer,
        "shop_name": settings.SHOP_NAME,
        "site_url": settings.SITE_URL,
        "link_url": f"{settings.SITE_URL}{link}" if link else "",
        **(context or {}),
    }
    language = getattr(customer, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body_text, body_html = render_message(
            kind=kind, context=full_context, language=language
        )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                customer=customer,
                kind=kind,
                dedup_key=dedup_key[:200],
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                link=link[:500],
                language=language,
                email_status=(
                    EmailDelivery.PENDING if customer.email else EmailDelivery.SKIPPED
                ),
            )
    except IntegrityError:  # told by a concurrent run of the same event
        return Notification.objects.get(customer=customer, dedup_key=dedup_key[:200])
    if customer.email:
        from .tasks import deliver_notification_email  # tasks import this module

        deliver_notification_email.delay_on_commit(notification_id=notification.pk)
    return notification


def notification_email_send(*, notification_id: int) -> bool:
    """Send the message's email unless it went already; record the attempt. Raises the mail
    server's error (after recording it) so the task can retry. Returns whether it sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("customer")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_status in (
            EmailDelivery.SENT,
            EmailDelivery.SKIPPED,
        ):
            return False
        notification.email_attempts += 1
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            to=[notification.customer.email],
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        failure = None
        try:
            message.send()
        except Exception as error:  # any mail-server error: recorded, then re-raised
            failure = error
            notification.email_status = EmailDelivery.FAILED
            notification.email_last_error = f"{type(error).__name__}: {error}"[:2000]
            notification.save(
                update_fields=["email_attempts", "email_status", "email_last_error"]
            )
        else:
            notification.email_status = EmailDelivery.SENT
            notification.email_sent_at = timezone.now()
            notification.email_last_error = ""
            notification.save(
                update_fields=[
                    "email_attempts",
                    "email_status",
                    "email_sent_at",
                    "email_last_error",
                ]
            )
    if failure is not None:
        raise failure
    return True


def notification_mark_read(*, customer, notification_ids=None) -> int:
    """Mark the customer's messages read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(customer=customer, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def unread_count(customer) -> int:
    return Notification.objects.filter(customer=customer, read_at__isnull=True).count()


def notification_resend(*, notification_ids, force: bool = False) -> int:
    """Queue the email of these messages again (staff's "resend"): those that failed or are
    still pending; one already sent only when ``force``. Returns how many were queued."""
    from .tasks import deliver_notification_email

    resendable = [EmailDelivery.FAILED, EmailDelivery.PENDING]
    if force:
        resendable.append(EmailDelivery.SENT)
    queued = 0
    with transaction.atomic():
        rows = (
            Notification.objects.select_for_update(of=("self",))
            .filter(pk__in=list(notification_ids), email_status__in=resendable)
            .exclude(customer__email="")
            .order_by("pk")
        )
        for notification in rows:
            if notification.email_status != EmailDelivery.PENDING:
                notification.email_status = EmailDelivery.PENDING
                notification.save(update_fields=["email_status"])
            deliver_notification_email.delay_on_commit(notification_id=notification.pk)
            queued += 1
    return queued


def notification_settings_update(*, customer, marketing_messages: bool) -> None:
    """The customer's choice of promotions (order and account messages always go)."""
    CustomerProfile.objects.filter(user=customer).update(marketing_messages=marketing_messages)


def inbox(*, customer):
    """The customer's messages, newest first (the page marks the unread ones)."""
    return Notification.objects.filter(customer=customer).defer("body_html")
