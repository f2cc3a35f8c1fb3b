"""Payments: every attempt to pay an order by one method, and every refund.

A paid order has succeeded payments that add up to its total less the points it used.
Online gateway notifications are kept one row per provider event id (a database
constraint), so a notification delivered five times records one payment.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .order import MONEY, Order, PaymentMethod


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Payment(models.Model):
    """One attempt to pay (part of) an order by one method."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    provider = models.CharField(
        max_length=32, blank=True, help_text="Online gateway (e.g. sandbox, alipay); empty else."
    )
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    provider_reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="The gateway's transaction id, or the bank's reference of the transfer.",
    )
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Staff who confirmed a bank transfer.",
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "method"], name="orders_payment_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="orders_payment_positive"),
            models.UniqueConstraint(
                fields=["order", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="orders_payment_unique_key_per_order",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=Q(status="succeeded") & ~Q(provider_reference="") & ~Q(provider=""),
                name="orders_payment_one_success_per_gateway_transaction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} {self.currency} ({self.status})"


class GatewayNotification(models.Model):
    """A server-to-server notification from an online gateway, kept once per event id."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=100)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    payload = models.JSONField()
    outcome = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="orders_gateway_notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class RefundDestination(models.TextChoices):
    BALANCE = "balance", _("Account balance")
    ORIGINAL = "original", _("Original payment method")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    """Money given back for an order: to the balance at once, or to the original method
    through the gateway's provider interface."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(**MONEY)
    destination = models.CharField(max_length=10, choices=RefundDestination.choices)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    provider_reference = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=255, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="orders_refund_positive"),
            models.UniqueConstraint(
                fields=["order", "idempotency_key"], name="orders_refund_unique_key_per_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Refund {self.amount} of {self.order_id} to {self.destination}"
