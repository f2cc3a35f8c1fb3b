"""Returns and complaints (RMA) on delivered order lines.

A ``ReturnRequest`` is opened by a customer on one line of a delivered order, for some of its
pieces, with a reason, a description and photos. Its status changes only through
``orders.returns.status`` and ``orders.returns.services``; every step is a ``ReturnEvent``
(who, when, message, maybe a lab report) the customer sees in the account. Returned pieces
are counted into quarantine when they arrive, and released to stock or written off after
staff inspect them.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..returns.status import ReturnStatus
from .order import MONEY, ZERO, Order, OrderLine


class ReturnKind(models.TextChoices):
    RETURN = "return", _("Return")
    COMPLAINT = "complaint", _("Complaint")


class ReturnReason(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("Suspected counterfeit")
    BENT_PINS = "bent_pins", _("Bent pins")
    SOLDERABILITY = "solderability", _("Poor solderability")
    DATASHEET = "datasheet", _("Parameters do not match the datasheet")
    WRONG_PART = "wrong_part", _("Wrong part")
    TRANSIT_DAMAGE = "transit_damage", _("Damaged in transit")
    OTHER = "other", _("Other")


class ReturnResolution(models.TextChoices):
    NONE = "", _("Not resolved")
    REFUND_BALANCE = "refund_balance", _("Refund to the account balance")
    REFUND_ORIGINAL = "refund_original", _("Refund to the original payment method")
    REPLACEMENT = "replacement", _("Replacement")
    REJECTED = "rejected", _("Rejected")


def _random_name(prefix: str, extension: str) -> str:
    return f"returns/{prefix}/{secrets.token_hex(16)}.{extension}"


def photo_upload_to(instance, filename: str) -> str:
    """A random name: the customer's file name never reaches the storage."""
    return _random_name("photos", "png" if instance.content_type == "image/png" else "jpg")


def report_upload_to(instance, filename: str) -> str:
    return _random_name("reports", "pdf")


class ReturnRequest(models.Model):
    reference = models.CharField(max_length=16, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_requests"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="return_requests")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_requests")
    kind = models.CharField(max_length=10, choices=ReturnKind.choices, default=ReturnKind.RETURN)
    reason = models.CharField(max_length=20, choices=ReturnReason.choices)
    quantity = models.PositiveIntegerField()
    description = models.TextField()
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.OPEN, editable=False
    )
    resolution = models.CharField(
        max_length=20,
        choices=ReturnResolution.choices,
        default=ReturnResolution.NONE,
        blank=True,
        editable=False,
    )
    refund_amount = models.DecimalField(default=ZERO, editable=False, **MONEY)
    replacement_order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    received_quantity = models.PositiveIntegerField(
        default=0, editable=False, help_text="Pieces that came back, held in quarantine."
    )
    released_quantity = models.PositiveIntegerField(
        default=0, editable=False, help_text="Inspected and put back into stock."
    )
    written_off_quantity = models.PositiveIntegerField(
        default=0, editable=False, help_text="Inspected and written off."
    )
    idempotency_key = models.CharField(max_length=100, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "return / complaint"
        verbose_name_plural = "returns and complaints"
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="orders_return_customer_idx"),
            models.Index(fields=["status", "created_at"], name="orders_return_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"], name="orders_return_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_return_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(refund_amount__gte=0), name="orders_return_refund_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=F("quantity"))
                & Q(
                    received_quantity__gte=F("released_quantity") + F("written_off_quantity")
                ),
                name="orders_return_inspected_within_received",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return f"/account/returns/{self.reference}/"

    @property
    def in_quarantine(self) -> int:
        return self.received_quantity - self.released_quantity - self.written_off_quantity


class ReturnPhoto(models.Model):
    """A photo the customer sent, re-encoded (no metadata) and stored under a random name."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_upload_to, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "pk"]

    def __str__(self) -> str:
        return f"photo {self.pk} of {self.request_id}"


class ReturnEventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    STATUS = "status", _("Status changed")
    MESSAGE = "message", _("Message")
    LAB_REPORT = "lab_report", _("Lab report")
    RECEIVED = "received", _("Goods received")
    INSPECTED = "inspected", _("Inspected")
    REFUND = "refund", _("Refund")
    REPLACEMENT = "replacement", _("Replacement order")


class ReturnEvent(models.Model):
    """One step of a return: what happened, who did it, when, and what they said."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=ReturnEventKind.choices)
    from_status = models.CharField(max_length=20, choices=ReturnStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReturnStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=20, default="system")
    message = models.TextField(blank=True)
    attachment = models.FileField(upload_to=report_upload_to, max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_kind_display()}"
