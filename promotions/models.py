"""Coupons: what operations define, what customers hold, and each use of one.

Invariants are database constraints: a unique readable code per coupon, one active
redemption per coupon, one first-order coupon per customer and one active first-order
definition. Flows that change these rows live in ``promotions/services.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CouponKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount off")
    PERCENT = "percent", _("Percent off (with optional cap)")
    FREE_SHIPPING = "free_shipping", _("Free shipping")


class CouponScope(models.TextChoices):
    ALL = "all", _("All parts")
    CATEGORIES = "categories", _("Parts in chosen categories (and their subcategories)")
    MANUFACTURERS = "manufacturers", _("Parts of chosen manufacturers")


class CouponState(models.TextChoices):
    AVAILABLE = "available", _("Available")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")


class CouponDefinition(models.Model):
    """A kind of coupon operations can issue: its value, scope, conditions and validity.

    ``is_active`` governs issuing (by staff and at sign-up); coupons already issued keep
    the validity they were issued with.
    """

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=CouponKind.choices)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Amount off, for fixed-amount coupons.",
    )
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Percent off the eligible parts, for percent coupons (e.g. 10 for 10 %).",
    )
    cap = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Largest discount a percent coupon gives; empty for no cap.",
    )
    minimum_spend = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="Subtotal of the eligible (in-scope) parts needed before the coupon applies.",
    )
    scope = models.CharField(max_length=16, choices=CouponScope.choices, default=CouponScope.ALL)
    categories = models.ManyToManyField(
        "catalog.Category",
        blank=True,
        related_name="+",
        help_text="For category scope; a category includes all its subcategories.",
    )
    manufacturers = models.ManyToManyField(
        "catalog.Manufacturer",
        blank=True,
        related_name="+",
        help_text="For manufacturer scope.",
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    valid_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Valid this many days after issue (instead of fixed from/until dates).",
    )
    first_order_only = models.BooleanField(
        default=False, help_text="Only valid on the customer's first paid order."
    )
    is_first_order_coupon = models.BooleanField(
        "first-order coupon",
        default=False,
        help_text="Issued automatically to every new customer at sign-up. "
        "At most one active definition can have this.",
    )
    is_active = models.BooleanField("active", default=True, help_text="Can be issued.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_first_order_coupon"],
                condition=Q(is_first_order_coupon=True, is_active=True),
                name="coupon_definition_one_active_first_order",
                violation_error_message="Another active definition is already the "
                "first-order coupon; deactivate it or clear its flag first.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="fixed") | Q(amount__isnull=False, amount__gt=0),
                name="coupon_definition_fixed_has_amount",
                violation_error_message="A fixed-amount coupon needs an amount above zero.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent")
                | Q(percent__isnull=False, percent__gt=0, percent__lte=100),
                name="coupon_definition_percent_in_range",
                violation_error_message="A percent coupon needs a percent from 0.01 to 100.",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gt=0),
                name="coupon_definition_cap_positive",
                violation_error_message="A cap must be above zero (or empty for no cap).",
            ),
            models.CheckConstraint(
                condition=Q(minimum_spend__gte=0),
                name="coupon_definition_minimum_spend_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(valid_days__isnull=True)
                | Q(valid_from__isnull=True, valid_until__isnull=True),
                name="coupon_definition_dates_or_days",
                violation_error_message="Give either fixed validity dates or a number of "
                "days after issue, not both.",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="coupon_definition_until_after_from",
                violation_error_message="Valid until must be after valid from.",
            ),
            models.CheckConstraint(
                condition=Q(is_first_order_coupon=False) | Q(first_order_only=True),
                name="coupon_definition_first_order_coupon_first_order_only",
                violation_error_message="The first-order coupon must be first-order only.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def value_display(self) -> str:
        """What the coupon is worth, in the words the account page uses."""
        currency = settings.SHOP_CURRENCY
        if self.kind == CouponKind.FIXED:
            return gettext("%(amount)s %(currency)s off") % {
                "amount": self.amount,
                "currency": currency,
            }
        if self.kind == CouponKind.PERCENT:
            percent = f"{self.percent.normalize():f}"
            if self.cap:
                return gettext("%(percent)s %% off (up to %(cap)s %(currency)s)") % {
                    "percent": percent,
                    "cap": self.cap,
                    "currency": currency,
                }
            return gettext("%(percent)s %% off") % {"percent": percent}
        return gettext("Free shipping")


class Coupon(models.Model):
    """One coupon issued to one customer, usable at most once."""

    definition = models.ForeignKey(
        CouponDefinition, on_delete=models.PROTECT, related_name="coupons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coupons"
    )
    code = models.CharField(max_length=16, unique=True)
    state = models.CharField(
        max_length=10, choices=CouponState.choices, default=CouponState.AVAILABLE
    )
    is_first_order = models.BooleanField(
        default=False, editable=False, help_text="Issued as the customer's first-order coupon."
    )
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    order_reference = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_first_order=True),
                name="coupon_one_first_order_coupon_per_user",
            ),
            models.CheckConstraint(
                condition=Q(state="used", used_at__isnull=False) & ~Q(order_reference="")
                | ~Q(state="used") & Q(used_at__isnull=True, order_reference=""),
                name="coupon_used_has_order",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "state"], name="coupon_user_state_idx"),
            models.Index(fields=["state", "valid_until"], name="coupon_state_until_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def current_state(self, now=None) -> str:
        """The state a customer sees: an available coupon past its validity is expired."""
        now = now or timezone.now()
        if self.state == CouponState.AVAILABLE and self.valid_until and self.valid_until <= now:
            return CouponState.EXPIRED
        return self.state


class CouponRedemption(models.Model):
    """A use of a coupon on an order, with the quote it gave; released when cancelled."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    order_reference = models.CharField(max_length=64)
    discount = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    free_shipping = models.BooleanField(default=False)
    eligible_subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coupon"],
                condition=Q(released_at__isnull=True),
                name="coupon_redemption_one_active_per_coupon",
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0, shipping_discount__gte=0),
                name="coupon_redemption_discount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coupon_id} on {self.order_reference}"


from .draw_models import Draw, DrawCampaign, DrawPrize, DrawState, PrizeKind  # noqa: E402
from .leaderboard_models import Leaderboard, LeaderboardAward, LeaderboardPrize  # noqa: E402
from .models_gifts import (  # noqa: E402
    Gift,
    GiftEntitlement,
    GiftEntitlementState,
    GiftSource,
    ThresholdGift,
)
from .models_points import (  # noqa: E402
    PointsCampaign,
    PointsFirstOrderBonus,
    PointsMultiplier,
    PointsMultiplierScope,
)
from .models_shop import (  # noqa: E402
    PointsShopItem,
    PointsShopItemKind,
    PointsShopRedemption,
)
from .segment_models import (  # noqa: E402
    CampaignDelivery,
    CampaignStatus,
    Segment,
    SegmentCampaign,
    SegmentRule,
)

__all__ = [
    "CampaignDelivery",
    "CampaignStatus",
    "Coupon",
    "CouponDefinition",
    "CouponKind",
    "CouponRedemption",
    "CouponScope",
    "CouponState",
    "Draw",
    "DrawCampaign",
    "DrawPrize",
    "DrawState",
    "Gift",
    "GiftEntitlement",
    "GiftEntitlementState",
    "GiftSource",
    "Leaderboard",
    "LeaderboardAward",
    "LeaderboardPrize",
    "PointsCampaign",
    "PointsFirstOrderBonus",
    "PointsMultiplier",
    "PointsMultiplierScope",
    "PointsShopItem",
    "PointsShopItemKind",
    "PointsShopRedemption",
    "PrizeKind",
    "Segment",
    "SegmentCampaign",
    "SegmentRule",
    "ThresholdGift",
]
