"""Quote requests (RFQ).

An inquiry keeps the part numbers and manufacturers as the customer typed them, and
the part they matched when one did; staff answer it with a quote.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..rfq.status import INQUIRY_TRANSITIONS, InquiryStatus

UNIT_PRICE = {"max_digits": 19, "decimal_places": 6}


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
    declined_at = models.DateTimeField(null=True, blank=True, editable=False)
    expired_at = models.DateTimeField(null=True, blank=True, editable=False)
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
    needed_by = models.DateField(null=True, blank=True, help_text="When the customer needs it.")
    quoted_unit_price = models.DecimalField(
        null=True, blank=True, help_text="Unit price staff offer, excl. VAT.", **UNIT_PRICE
    )
    quoted_quantity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pieces the price is for; the customer buys exactly these."
    )
    lead_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days from order to dispatch."
    )
    valid_until = models.DateField(
        null=True, blank=True, help_text="Last day the customer can order at this price."
    )
    cannot_offer = models.BooleanField(
        default=False, help_text="We cannot offer this part; name an alternate if there is one."
    )
    alternate_part = models.ForeignKey(
        "catalog.Part",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A catalog part we offer instead.",
    )
    accept_key = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="Idempotency key of the acceptance that put the line in the cart.",
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)

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
            models.CheckConstraint(
                condition=Q(quoted_quantity__isnull=True) | Q(quoted_quantity__gt=0),
                name="orders_inquiryline_quoted_quantity_positive",
            ),
            models.CheckConstraint(
                condition=Q(cannot_offer=False) | Q(quoted_unit_price__isnull=True),
                name="orders_inquiryline_cannot_offer_unpriced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.mpn}"

    @property
    def is_offered(self) -> bool:
        """Staff gave a price, a quantity and a validity date."""
        return (
            not self.cannot_offer
            and self.quoted_unit_price is not None
            and self.quoted_quantity is not None
            and self.valid_until is not None
        )

    @property
    def is_answered(self) -> bool:
        return self.cannot_offer or self.is_offered

    @property
    def is_valid_today(self) -> bool:
        return self.is_offered and self.valid_until >= timezone.localdate()
