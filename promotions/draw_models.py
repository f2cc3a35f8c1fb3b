"""Lucky draws: a campaign with its prizes, and the draws customers earn by paying orders.

A draw records what it saw (its roll and the odds of the prizes still in stock, in order)
so anyone can recompute it once the campaign's seed is revealed (promotions/fairness.py).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import fairness

PERCENT = {"max_digits": 7, "decimal_places": 4}


class PrizeKind(models.TextChoices):
    COUPON = "coupon", _("Coupon")
    POINTS = "points", _("Points")
    GIFT = "gift", _("Gift")


class DrawCampaign(models.Model):
    """A lucky draw: who earns draws (paid orders in the period), what can be won, and the
    seed every outcome is computed from (secret until the campaign ends)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True, help_text="Part of the public page URL.")
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(help_text="Draws not used by then can no longer be used.")
    min_order_amount = models.DecimalField(
        "order amount for one draw",
        max_digits=12,
        decimal_places=2,
        help_text="A paid order of at least this (incl. VAT, after points) earns one draw.",
    )
    step_amount = models.DecimalField(
        "each further amount",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="One more draw for each further amount this large; empty for one per order.",
    )
    max_draws_per_order = models.PositiveSmallIntegerField(default=10)
    no_prize_probability = models.DecimalField(
        "“no prize” probability (%)",
        help_text="With the prizes' probabilities this must add up to exactly 100 %.",
        **PERCENT,
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Shown on its public page; earns draws."
    )
    seed = models.CharField(max_length=64, default=fairness.seed_new, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="draw_campaign_ends_after_start",
                violation_error_message="The campaign must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(min_order_amount__gt=0),
                name="draw_campaign_min_order_positive",
                violation_error_message="The order amount for one draw must be above zero.",
            ),
            models.CheckConstraint(
                condition=Q(step_amount__isnull=True) | Q(step_amount__gt=0),
                name="draw_campaign_step_positive",
                violation_error_message="Each further amount must be above zero (or empty).",
            ),
            models.CheckConstraint(
                condition=Q(no_prize_probability__gte=0, no_prize_probability__lte=100),
                name="draw_campaign_no_prize_in_range",
                violation_error_message="A probability is between 0 and 100 %.",
            ),
            models.CheckConstraint(
                condition=Q(max_draws_per_order__gte=1),
                name="draw_campaign_max_draws_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def seed_commitment(self) -> str:
        return fairness.seed_commitment(self.seed)

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def draws_for_amount(self, amount: Decimal) -> int:
        if amount < self.min_order_amount:
            return 0
        extra = int((amount - self.min_order_amount) // self.step_amount) if self.step_amount else 0
        return min(1 + extra, self.max_draws_per_order)


class DrawPrize(models.Model):
    """One prize of a campaign: what it gives, how many there are, and its probability."""

    campaign = models.ForeignKey(DrawCampaign, on_delete=models.CASCADE, related_name="prizes")
    name = models.CharField(max_length=120, help_text="As customers see it.")
    kind = models.CharField(max_length=10, choices=PrizeKind.choices)
    coupon_definition = models.ForeignKey(
        "promotions.CouponDefinition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.PositiveIntegerField(null=True, blank=True)
    gift = models.ForeignKey(
        "promotions.Gift", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gift_ships_alone = models.BooleanField(
        "gift ships on its own",
        default=False,
        help_text="Send the gift by itself; else it rides with the winner's next order.",
    )
    quantity = models.PositiveIntegerField(help_text="How many can be won in all.")
    won = models.PositiveIntegerField(default=0, editable=False)
    probability = models.DecimalField("probability (%)", **PERCENT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="draw_prize_probability_in_range",
                violation_error_message="A probability is between 0 and 100 %.",
            ),
            models.CheckConstraint(
                condition=Q(won__lte=F("quantity")),
                name="draw_prize_won_within_quantity",
                violation_error_message="The quantity cannot be below the number already won.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="coupon") | Q(coupon_definition__isnull=False),
                name="draw_prize_coupon_has_definition",
                violation_error_message="A coupon prize needs a coupon definition.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="points") | Q(points__isnull=False, points__gt=0),
                name="draw_prize_points_positive",
                violation_error_message="A points prize needs a number of points above zero.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="gift") | Q(gift__isnull=False),
                name="draw_prize_gift_has_gift",
                violation_error_message="A gift prize needs a gift.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def remaining(self) -> int:
        return self.quantity - self.won

    @property
    def ppm(self) -> int:
        return int(self.probability * 10_000)


class DrawState(models.TextChoices):
    AVAILABLE = "available", _("Ready to draw")
    DRAWN = "drawn", _("Drawn")
    WITHDRAWN = "withdrawn", _("Withdrawn (order refunded)")


class Draw(models.Model):
    """One chance to win, earned by a paid order; used once."""

    campaign = models.ForeignKey(DrawCampaign, on_delete=models.PROTECT, related_name="draws")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="draws"
    )
    order_reference = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField(help_text="1, 2 … within the order.")
    public_id = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=10, choices=DrawState.choices, default=DrawState.AVAILABLE)
    earned_at = models.DateTimeField(default=timezone.now)
    drawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    roll = models.PositiveIntegerField(null=True, blank=True)
    odds = models.JSONField(
        null=True, blank=True, help_text="[prize id, parts per million] the draw saw, in order."
    )
    prize = models.ForeignKey(
        DrawPrize, null=True, blank=True, on_delete=models.PROTECT, related_name="draws"
    )
    coupon = models.ForeignKey(
        "promotions.Coupon", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gift_entitlement = models.ForeignKey(
        "promotions.GiftEntitlement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-earned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "order_reference", "number"], name="draw_one_per_order_number"
            ),
            models.CheckConstraint(
                condition=~Q(state="drawn") | Q(roll__isnull=False, drawn_at__isnull=False),
                name="draw_drawn_has_roll",
            ),
        ]
        indexes = [models.Index(fields=["customer", "state"], name="draw_customer_state_idx")]

    def __str__(self) -> str:
        return self.public_id

    def can_be_drawn(self, now=None) -> bool:
        return self.state == DrawState.AVAILABLE and not self.campaign.has_ended(now)
