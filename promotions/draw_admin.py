"""Operations' screens for lucky draws, leaderboards, segments and segment campaigns."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import leaderboards, segments
from .draw_models import Draw, DrawCampaign, DrawPrize, PrizeKind
from .errors import CouponIssueError
from .leaderboard_models import Leaderboard, LeaderboardAward, LeaderboardPrize
from .segment_models import CampaignDelivery, CampaignStatus, Segment, SegmentCampaign


def _check_prize_fields(cleaned: dict) -> None:
    kind, definition = cleaned.get("kind"), cleaned.get("coupon_definition")
    gift = cleaned.get("gift")
    if kind == PrizeKind.GIFT and gift is not None and not gift.is_active:
        raise ValidationError(f"The gift “{gift}” is not active.")
    if kind != PrizeKind.GIFT and gift is not None:
        raise ValidationError("Only a gift prize gives a gift; clear the gift.")
    if kind == PrizeKind.GIFT and (definition is not None or cleaned.get("points")):
        raise ValidationError("A gift prize gives no coupon or points; clear them.")
    if kind == PrizeKind.COUPON and definition is not None and not definition.is_active:
        raise ValidationError(f"The coupon definition “{definition}” is not active.")
    if kind == PrizeKind.COUPON and cleaned.get("points"):
        raise ValidationError("A coupon prize gives no points; clear the points.")
    if kind == PrizeKind.POINTS and definition is not None:
        raise ValidationError("A points prize gives no coupon; clear the coupon definition.")


class PrizeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        _check_prize_fields(cleaned)
        return cleaned


class DrawPrizeFormSet(BaseInlineFormSet):
    """The odds must add up: prizes plus “no prize” exactly 100 %; and nothing is
    advertised at 0 % on a published campaign."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        no_prize = self.instance.no_prize_probability
        if no_prize is None:
            return
        prizes = sum((cd["probability"] for cd in kept), Decimal(0))
        if prizes + no_prize != Decimal(100):
            raise ValidationError(
                f"The prizes ({prizes.normalize():f} %) and “no prize” "
                f"({no_prize.normalize():f} %) add up to {(prizes + no_prize).normalize():f} %; "
                "they must add up to exactly 100 %."
            )
        if self.instance.is_published:
            zero = [cd["name"] for cd in kept if cd["probability"] == 0]
            if zero:
                raise ValidationError(
                    "A published campaign cannot advertise a prize with 0 % probability: "
                    + ", ".join(zero)
                    + ". Give it a chance or remove it."
                )


class DrawPrizeInline(admin.TabularInline):
    model = DrawPrize
    form = PrizeForm
    formset = DrawPrizeFormSet
    extra = 1
    fields = [
        "position",
        "name",
        "kind",
        "coupon_definition",
        "points",
        "gift",
        "gift_ships_alone",
        "quantity",
        "won",
        "probability",
    ]
    readonly_fields = ["won"]


@admin.register(DrawCampaign)
class DrawCampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "starts_at",
        "ends_at",
        "is_published",
        "draws_earned",
        "draws_made",
        "public_page",
    ]
    list_filter = ["is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DrawPrizeInline]
    readonly_fields = ["seed_sha256", "seed_revealed", "public_page"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_published", "public_page"]}),
        ("Period", {"fields": ["starts_at", "ends_at"]}),
        (
            "Who earns draws",
            {"fields": ["min_order_amount", "step_amount", "max_draws_per_order"]},
        ),
        ("Odds", {"fields": ["no_prize_probability"]}),
        ("Fairness", {"fields": ["seed_sha256", "seed_revealed"]}),
    ]

    @admin.display(description="SHA-256 of the seed")
    def seed_sha256(self, obj):
        return obj.seed_commitment if obj.pk else "—"

    @admin.display(description="seed")
    def seed_revealed(self, obj):
        if obj.pk and obj.has_ended():
            return obj.seed
        return "Kept secret until the campaign ends."

    @admin.display(description="earned")
    def draws_earned(self, obj):
        return obj.draws.count()

    @admin.display(description="drawn")
    def draws_made(self, obj):
        return obj.draws.filter(state="drawn").count()

    @admin.display(description="public page")
    def public_page(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("promotions-public:draw-campaign", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "campaign",
        "customer",
        "order_reference",
        "state",
        "prize",
        "earned_at",
        "drawn_at",
    ]
    list_filter = ["state", "campaign"]
    search_fields = ["public_id", "order_reference", "customer__email"]
    list_select_related = ["campaign", "customer", "prize"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LeaderboardPrizeInline(admin.TabularInline):
    model = LeaderboardPrize
    form = PrizeForm
    extra = 1
    fields = [
        "rank_from",
        "rank_to",
        "name",
        "kind",
        "coupon_definition",
        "points",
        "gift",
        "gift_ships_alone",
    ]


class LeaderboardAwardInline(admin.TabularInline):
    model = LeaderboardAward
    extra = 0
    can_delete = False
    fields = ["rank", "customer", "amount", "prize", "coupon", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Leaderboard)
class LeaderboardAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_at", "ends_at", "is_published", "closed_at", "public_page"]
    list_filter = ["is_published"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LeaderboardPrizeInline, LeaderboardAwardInline]
    readonly_fields = ["closed_at", "standings_now", "public_page"]
    actions = ["close_now"]

    @admin.display(description="public page")
    def public_page(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("promotions-public:leaderboard", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="standings now (top 10)")
    def standings_now(self, obj):
        if not obj.pk:
            return "—"
        rows = leaderboards.leaderboard_standings(obj, limit=10)
        if not rows:
            return "No paid orders in the period yet."
        users = get_user_model().objects.in_bulk([r.customer_id for r in rows])
        return format_html_join(
            "\n", "<div>#{} {} — {}</div>",
            ((r.rank, users[r.customer_id].email, r.amount) for r in rows),
        )

    @admin.action(description="Give the prizes of the selected ended leaderboards now")
    def close_now(self, request, queryset):
        now = timezone.now()
        for board in queryset:
            if board.ends_at > now:
                self.message_user(
                    request, f"“{board}” has not ended yet: nothing given.", messages.WARNING
                )
                continue
            given = leaderboards.leaderboard_close(leaderboard_id=board.pk, now=now)
            self.message_user(request, f"“{board}”: {given} prize(s) given.", messages.SUCCESS)


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "rule", "amount", "days", "category", "manufacturer"]
    list_filter = ["rule"]
    readonly_fields = ["preview"]
    fields = ["name", "rule", "amount", "days", "category", "manufacturer", "preview"]
    autocomplete_fields = []

    @admin.display(description="customers in it now")
    def preview(self, obj):
        if not obj.pk:
            return "Save to see who is in the segment."
        result = segments.segment_preview(obj)
        examples = format_html_join(", ", "{}", ((u.email,) for u in result.examples))
        return format_html(
            '<strong class="segment-count">{}</strong> customer(s){}{}',
            result.count,
            ", e.g. " if result.examples else "",
            examples,
        )


class CampaignDeliveryInline(admin.TabularInline):
    model = CampaignDelivery
    extra = 0
    can_delete = False
    fields = ["customer", "coupon", "created_at"]
    readonly_fields = fields
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SegmentCampaign)
class SegmentCampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "segment", "coupon_definition", "status", "progress", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "progress", "started_at", "finished_at"]
    fields = [
        "name",
        "segment",
        "coupon_definition",
        "title",
        "message",
        "status",
        "progress",
        "started_at",
        "finished_at",
    ]
    actions = ["send"]

    @admin.display(description="progress (done / total)")
    def progress(self, obj):
        return f"{obj.done} / {obj.total}"

    @admin.action(description="Send the selected campaigns to their segments")
    def send(self, request, queryset):
        for campaign in queryset:
            try:
                segments.segment_campaign_start(campaign_id=campaign.pk)
            except CouponIssueError as exc:
                self.message_user(request, f"“{campaign}”: {exc}", messages.ERROR)
                continue
            verb = "sending" if campaign.status == CampaignStatus.DRAFT else "sending again"
            self.message_user(
                request,
                f"“{campaign}”: {verb}; each customer gets its coupon once.",
                messages.SUCCESS,
            )
