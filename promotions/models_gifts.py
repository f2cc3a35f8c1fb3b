"""Gifts: items given away (by the points shop, spend thresholds, lucky draws and
leaderboards) and each customer's entitlement to one.

A gift's ``stock`` is taken by ``promotions.gifts.gift_entitle`` under a row lock and given
back when an entitlement is released; the CHECK keeps it from going below zero.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Gift(models.Model):
    """Something we give away and ship: a sample kit, a mug, a reel of a catalog part."""

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    image = models.ImageField(upload_to="gifts/", blank=True)
    part = models.ForeignKey(
        "catalog.Part",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The catalog part this gift is, if it is one (its MPN is printed on the "
        "order's gift line).",
    )
    stock = models.PositiveIntegerField(default=0, help_text="Pieces left to give away.")
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="promotions_gift_stock_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GiftSource(models.TextChoices):
    POINTS_SHOP = "points_shop", _("Points shop")
    THRESHOLD = "threshold", _("Spend-threshold gift")
    DRAW = "draw", _("Lucky draw")
    LEADERBOARD = "leaderboard", _("Leaderboard")


class GiftEntitlementState(models.TextChoices):
    PENDING = "pending", _("Waiting to ship")
    ATTACHED = "attached", _("Ships with an order")
    SHIPPED = "shipped", _("Shipped on its own")
    RELEASED = "released", _("Released")


class GiftEntitlement(models.Model):
    """One gift one customer is owed. ``ship_alone`` gifts are sent by staff on their own;
    the others ride with the customer's next order (``order_reference``)."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gift_entitlements"
    )
    gift = models.ForeignKey(Gift, on_delete=models.PROTECT, related_name="entitlements")
    source = models.CharField(max_length=16, choices=GiftSource.choices)
    source_key = models.CharField(max_length=100)
    ship_alone = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=GiftEntitlementState.choices, default=GiftEntitlementState.PENDING
    )
    order_reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attached_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    tracking = models.CharField(max_length=120, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "source", "source_key"],
                name="promotions_gift_entitlement_unique_source_key",
            ),
            models.CheckConstraint(
                condition=~Q(state="attached") | ~Q(order_reference=""),
                name="promotions_gift_entitlement_attached_has_order",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "state"], name="gift_ent_customer_state_idx"),
            models.Index(fields=["state", "ship_alone"], name="gift_ent_state_alone_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.gift} for {self.customer}"


class ThresholdGift(models.Model):
    """"A paid order over ``minimum_spend`` (parts, excl. VAT) between ``starts_at`` and
    ``ends_at`` gets ``gift``", while the gift's stock lasts."""

    name = models.CharField(max_length=120)
    gift = models.ForeignKey(Gift, on_delete=models.PROTECT, related_name="thresholds")
    minimum_spend = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Parts subtotal excl. VAT (before coupons) the order must reach.",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["minimum_spend", "pk"]
        verbose_name = "spend-threshold gift"
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_spend__gt=0), name="promotions_threshold_gift_spend_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="promotions_threshold_gift_ends_after_start",
                violation_error_message="The promotion must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
