"""Leaderboards: customers ranked by what they paid in a period, prizes per rank."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .draw_models import PrizeKind


class Leaderboard(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    shown_ranks = models.PositiveSmallIntegerField(default=20, help_text="Ranks on the page.")
    is_published = models.BooleanField("published", default=False)
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When its prizes were given."
    )

    class Meta:
        ordering = ["-ends_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="leaderboard_ends_after_start",
                violation_error_message="The period must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LeaderboardPrize(models.Model):
    """What the customers ranked ``rank_from`` to ``rank_to`` each get."""

    leaderboard = models.ForeignKey(Leaderboard, on_delete=models.CASCADE, related_name="prizes")
    rank_from = models.PositiveSmallIntegerField()
    rank_to = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
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

    class Meta:
        ordering = ["rank_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rank_from__gte=1, rank_to__gte=F("rank_from")),
                name="leaderboard_prize_ranks_ordered",
                violation_error_message="Ranks start at 1 and “to” is not below “from”.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="coupon") | Q(coupon_definition__isnull=False),
                name="leaderboard_prize_coupon_has_definition",
                violation_error_message="A coupon prize needs a coupon definition.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="points") | Q(points__isnull=False, points__gt=0),
                name="leaderboard_prize_points_positive",
                violation_error_message="A points prize needs a number of points above zero.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="gift") | Q(gift__isnull=False),
                name="leaderboard_prize_gift_has_gift",
                violation_error_message="A gift prize needs a gift.",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank_from}–{self.rank_to}: {self.name}"


class LeaderboardAward(models.Model):
    """A prize given when the period closed; once per customer and rank."""

    leaderboard = models.ForeignKey(Leaderboard, on_delete=models.PROTECT, related_name="awards")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=19, decimal_places=2)
    prize = models.ForeignKey(LeaderboardPrize, on_delete=models.PROTECT, related_name="awards")
    coupon = models.ForeignKey(
        "promotions.Coupon", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["leaderboard", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["leaderboard", "customer"], name="leaderboard_award_once_per_customer"
            ),
            models.UniqueConstraint(
                fields=["leaderboard", "rank"], name="leaderboard_award_once_per_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} of {self.leaderboard_id}"
