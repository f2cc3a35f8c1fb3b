"""Points earning rules operations set beside the base rate (customers' ``PointsRule``):
multipliers for categories or manufacturers, a bonus on the first paid order, and campaigns
that multiply everything earned in a period. Read by ``promotions.points.order_points``."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PointsMultiplierScope(models.TextChoices):
    CATEGORY = "category", _("Parts in a category (and its subcategories)")
    MANUFACTURER = "manufacturer", _("Parts of a manufacturer")


class PointsMultiplier(models.Model):
    """Parts of one category or manufacturer earn ``multiplier`` × the base rate. When a
    part matches several, the highest multiplier counts."""

    scope = models.CharField(max_length=16, choices=PointsMultiplierScope.choices)
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    manufacturer = models.ForeignKey(
        "catalog.Manufacturer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    multiplier = models.DecimalField(
        max_digits=6, decimal_places=2, help_text="E.g. 2 for double points."
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["scope", "-multiplier", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(multiplier__gt=0), name="promotions_points_multiplier_positive"
            ),
            models.CheckConstraint(
                condition=Q(scope="category", category__isnull=False, manufacturer__isnull=True)
                | Q(scope="manufacturer", manufacturer__isnull=False, category__isnull=True),
                name="promotions_points_multiplier_target_matches_scope",
                violation_error_message="Choose a category for category scope, or a "
                "manufacturer for manufacturer scope (not both).",
            ),
        ]

    def __str__(self) -> str:
        is_category = self.scope == PointsMultiplierScope.CATEGORY
        target = self.category if is_category else self.manufacturer
        return f"×{self.multiplier} {target}"


class PointsFirstOrderBonus(models.Model):
    """Extra points credited with a customer's first paid order (the highest active bonus)."""

    points = models.PositiveIntegerField()
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "points first-order bonus"
        verbose_name_plural = "points first-order bonuses"
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="promotions_points_first_bonus_positive"
            )
        ]

    def __str__(self) -> str:
        return f"+{self.points} points on the first paid order"


class PointsCampaign(models.Model):
    """Orders paid between ``starts_at`` and ``ends_at`` earn ``multiplier`` × their points
    (on top of part multipliers; when campaigns overlap, the highest counts)."""

    name = models.CharField(max_length=120)
    multiplier = models.DecimalField(max_digits=6, decimal_places=2)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(multiplier__gt=0), name="promotions_points_campaign_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="promotions_points_campaign_ends_after_start",
                violation_error_message="The campaign must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
