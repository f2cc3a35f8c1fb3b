"""Customer segments computed from behaviour and orders, and coupon campaigns sent to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SegmentRule(models.TextChoices):
    REGISTERED_NO_ORDER = "registered_no_order", _("Registered, no paid order yet")
    SAMPLE_BUYERS = "sample_buyers", _("Sample buyers: every paid order under the amount")
    VOLUME_BUYERS = "volume_buyers", _("Volume buyers: paid in all at least the amount")
    DORMANT = "dormant", _("Dormant: no paid order for the number of days")
    CATEGORY_BUYERS = "category_buyers", _("Bought parts of the category")
    MANUFACTURER_BUYERS = "manufacturer_buyers", _("Bought parts of the manufacturer")
    FIRST_COUPON_NO_SECOND = "first_coupon_no_second", _(
        "Used the first-order coupon, no second order"
    )


class Segment(models.Model):
    name = models.CharField(max_length=120)
    rule = models.CharField(max_length=32, choices=SegmentRule.choices)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For sample and volume buyers (incl. VAT).",
    )
    days = models.PositiveIntegerField(default=90, help_text="For dormant customers.")
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    manufacturer = models.ForeignKey(
        "catalog.Manufacturer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rule__in=["sample_buyers", "volume_buyers"])
                | Q(amount__isnull=False, amount__gt=0),
                name="segment_buyers_have_amount",
                violation_error_message="Sample and volume buyers need an amount above zero.",
            ),
            models.CheckConstraint(
                condition=~Q(rule="category_buyers") | Q(category__isnull=False),
                name="segment_category_buyers_have_category",
                violation_error_message="Choose the category.",
            ),
            models.CheckConstraint(
                condition=~Q(rule="manufacturer_buyers") | Q(manufacturer__isnull=False),
                name="segment_manufacturer_buyers_have_manufacturer",
                violation_error_message="Choose the manufacturer.",
            ),
            models.CheckConstraint(
                condition=~Q(rule="dormant") | Q(days__gte=1),
                name="segment_dormant_days_positive",
                violation_error_message="Dormant needs at least one day.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class SegmentCampaign(models.Model):
    """A coupon given to every customer of a segment, with a message telling them."""

    name = models.CharField(max_length=120)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="campaigns")
    coupon_definition = models.ForeignKey(
        "promotions.CouponDefinition", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=150, help_text="Subject of the message.")
    message = models.TextField()
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, editable=False
    )
    total = models.PositiveIntegerField(default=0, editable=False)
    done = models.PositiveIntegerField(default=0, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CampaignDelivery(models.Model):
    """The campaign's coupon for one customer: once, however often the campaign runs."""

    campaign = models.ForeignKey(
        SegmentCampaign, on_delete=models.PROTECT, related_name="deliveries"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    coupon = models.ForeignKey(
        "promotions.Coupon", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "customer"], name="campaign_delivery_once_per_customer"
            ),
        ]
        verbose_name_plural = "campaign deliveries"

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.customer_id}"
