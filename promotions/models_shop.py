"""The points shop: items customers buy with points (coupons, physical gifts) and each
redemption. Redemptions are written by ``promotions.points_shop.shop_redeem``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PointsShopItemKind(models.TextChoices):
    COUPON = "coupon", _("Coupon")
    GIFT = "gift", _("Physical gift")


class PointsShopItem(models.Model):
    """One thing on the points shop's shelf. A coupon item issues a coupon of its
    definition and has its own ``stock`` (empty: unlimited); a gift item's stock is its
    gift's."""

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=8, choices=PointsShopItemKind.choices)
    points_cost = models.PositiveIntegerField("points")
    coupon_definition = models.ForeignKey(
        "promotions.CouponDefinition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gift = models.ForeignKey(
        "promotions.Gift", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stock = models.PositiveIntegerField(
        null=True, blank=True, help_text="Coupons left to sell; empty for no limit."
    )
    position = models.PositiveIntegerField(default=0, help_text="Lower comes first.")
    is_active = models.BooleanField("on sale", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "points_cost", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points_cost__gt=0), name="promotions_shop_item_cost_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind="coupon", coupon_definition__isnull=False, gift__isnull=True)
                | Q(kind="gift", gift__isnull=False, coupon_definition__isnull=True, stock=None),
                name="promotions_shop_item_kind_matches",
                violation_error_message="A coupon item needs a coupon definition; a gift item "
                "needs a gift (its stock is the gift's).",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stock_left(self) -> int | None:
        """Pieces left to redeem; None when unlimited."""
        if self.kind == PointsShopItemKind.GIFT:
            return self.gift.stock if self.gift.is_active else 0
        return self.stock

    @property
    def in_stock(self) -> bool:
        left = self.stock_left
        return left is None or left > 0


class PointsShopRedemption(models.Model):
    """One purchase in the points shop: the points it cost and what it gave."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_shop_redemptions"
    )
    item = models.ForeignKey(PointsShopItem, on_delete=models.PROTECT, related_name="redemptions")
    points = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=100)
    coupon = models.ForeignKey(
        "promotions.Coupon", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entitlement = models.ForeignKey(
        "promotions.GiftEntitlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points_entry_id = models.PositiveBigIntegerField(
        help_text="The customers' PointsEntry that debited the points."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"],
                name="promotions_shop_redemption_unique_key",
            ),
            models.CheckConstraint(
                condition=Q(coupon__isnull=False, entitlement__isnull=True)
                | Q(coupon__isnull=True, entitlement__isnull=False),
                name="promotions_shop_redemption_gave_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} for {self.customer}"
