from rest_framework import serializers

from .draw_models import Draw
from .leaderboard_models import LeaderboardPrize


class DrawSerializer(serializers.ModelSerializer):
    campaign = serializers.CharField(source="campaign.slug", read_only=True)
    prize = serializers.CharField(source="prize.name", default=None, read_only=True)
    coupon = serializers.CharField(source="coupon.code", default=None, read_only=True)
    points = serializers.IntegerField(source="prize.points", default=None, read_only=True)
    can_draw = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = [
            "public_id",
            "campaign",
            "order_reference",
            "state",
            "can_draw",
            "earned_at",
            "drawn_at",
            "roll",
            "prize",
            "coupon",
            "points",
        ]

    def get_can_draw(self, draw) -> bool:
        return draw.can_be_drawn()


class OddsRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    probability = serializers.DecimalField(max_digits=7, decimal_places=4)
    live_ppm = serializers.IntegerField()
    quantity = serializers.IntegerField()
    remaining = serializers.IntegerField()


class CampaignPageSerializer(serializers.Serializer):
    slug = serializers.CharField(source="campaign.slug")
    name = serializers.CharField(source="campaign.name")
    description = serializers.CharField(source="campaign.description")
    starts_at = serializers.DateTimeField(source="campaign.starts_at")
    ends_at = serializers.DateTimeField(source="campaign.ends_at")
    min_order_amount = serializers.DecimalField(
        source="campaign.min_order_amount", max_digits=12, decimal_places=2
    )
    step_amount = serializers.DecimalField(
        source="campaign.step_amount", max_digits=12, decimal_places=2, allow_null=True
    )
    max_draws_per_order = serializers.IntegerField(source="campaign.max_draws_per_order")
    prizes = OddsRowSerializer(source="rows", many=True)
    no_prize_ppm = serializers.IntegerField()
    seed_sha256 = serializers.CharField(source="seed_commitment", allow_null=True)
    seed = serializers.CharField(allow_null=True)
    draws_made = serializers.IntegerField()


class StandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField(source="shown_name")
    amount = serializers.DecimalField(max_digits=19, decimal_places=2)


class LeaderboardPrizeSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaderboardPrize
        fields = ["rank_from", "rank_to", "name", "kind"]


class LeaderboardSerializer(serializers.Serializer):
    slug = serializers.CharField(source="board.slug")
    name = serializers.CharField(source="board.name")
    starts_at = serializers.DateTimeField(source="board.starts_at")
    ends_at = serializers.DateTimeField(source="board.ends_at")
    closed = serializers.SerializerMethodField()
    prizes = LeaderboardPrizeSerializer(many=True)
    standings = StandingSerializer(many=True)

    def get_closed(self, data) -> bool:
        return data["board"].closed_at is not None
