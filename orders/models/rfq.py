"""Quote requests (RFQ).

An inquiry keeps the part numbers and manufacturers as the customer typed them, and
the part they matched when one did; staff answer it with a quote.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

UNIT_PRICE = {"max_digits": 19, "decimal_places": 6}


class InquiryStatus(models.TextChoices):
    NEW = "new", "New"
    QUOTED = "quoted", "Quoted"
    CLOSED = "closed", "Closed"


# A quoted inquiry can be quoted again (a revised quote); a closed one can be reopened.
INQUIRY_TRANSITIONS: dict[str, frozenset[str]] = {
    InquiryStatus.NEW: frozenset({InquiryStatus.QUOTED, InquiryStatus.CLOSED}),
    InquiryStatus.QUOTED: frozenset({InquiryStatus.QUOTED, InquiryStatus.CLOSED}),
    InquiryStatus.CLOSED: frozenset({InquiryStatus.NEW}),
}


class Inquiry(models.Model):
    """A request for quotation: parts and quantities a customer wants a price for."""

    reference = models.CharField(max_length=16, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    contact_name = models.CharField(max_length=120)
    email = models.EmailField()
    company = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.NEW, editable=False
    )
    reply = models.TextField(
        "quote",
        blank=True,
        help_text="What the customer reads: prices, lead times, validity, conditions.",
    )
    quoted_at = models.DateTimeField(null=True, blank=True, editable=False)
    quoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    quote_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    visitor_key = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="An anonymous visitor's session key: with no customer, the owner of the "
        "idempotency key.",
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "inquiries"
        indexes = [
            models.Index(fields=["status", "created_at"], name="orders_inquiry_status_idx"),
        ]
        # An idempotency key is unique per owner, never across owners: another visitor's
        # reused key must not return their request.
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"],
                condition=Q(customer__isnull=False, idempotency_key__isnull=False),
                name="orders_inquiry_unique_key_per_customer",
            ),
            models.UniqueConstraint(
                fields=["visitor_key", "idempotency_key"],
                condition=Q(customer__isnull=True, idempotency_key__isnull=False),
                name="orders_inquiry_unique_key_per_visitor",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def can_transition(self, to: str) -> bool:
        return to in INQUIRY_TRANSITIONS.get(self.status, frozenset())


class InquiryLine(models.Model):
    """One part number and quantity of an inquiry, as typed, with the part it matched."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(
        "catalog.Part", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mpn = models.CharField("MPN", max_length=100)
    manufacturer = models.CharField(max_length=120, blank=True)
    quantity = models.PositiveIntegerField()
    target_unit_price = models.DecimalField(null=True, blank=True, **UNIT_PRICE)
    quoted_unit_price = models.DecimalField(
        null=True, blank=True, help_text="Unit price staff offer, excl. VAT.", **UNIT_PRICE
    )

    class Meta:
        ordering = ["inquiry", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_inquiryline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(target_unit_price__isnull=True) | Q(target_unit_price__gt=0),
                name="orders_inquiryline_target_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(quoted_unit_price__isnull=True) | Q(quoted_unit_price__gt=0),
                name="orders_inquiryline_quoted_price_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.mpn}"
