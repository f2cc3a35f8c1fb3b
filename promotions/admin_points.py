"""Operations' tools for points: earning multipliers, the first-order bonus, campaigns,
and the points shop's items and redemptions."""

from django.contrib import admin

from .models_points import PointsCampaign, PointsFirstOrderBonus, PointsMultiplier


@admin.register(PointsMultiplier)
class PointsMultiplierAdmin(admin.ModelAdmin):
    list_display = ["__str__", "scope", "category", "manufacturer", "multiplier", "is_active"]
    list_filter = ["is_active", "scope"]
    raw_id_fields = ["category", "manufacturer"]


@admin.register(PointsFirstOrderBonus)
class PointsFirstOrderBonusAdmin(admin.ModelAdmin):
    list_display = ["__str__", "points", "is_active"]
    list_filter = ["is_active"]


@admin.register(PointsCampaign)
class PointsCampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "multiplier", "starts_at", "ends_at", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
