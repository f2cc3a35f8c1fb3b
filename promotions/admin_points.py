"""Operations' tools for points: earning multipliers, the first-order bonus, campaigns,
and the points shop's items and redemptions."""

from django.contrib import admin

from .models_points import PointsCampaign, PointsFirstOrderBonus, PointsMultiplier
from .models_shop import PointsShopItem, PointsShopRedemption


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


@admin.register(PointsShopItem)
class PointsShopItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "points_cost", "stock_shown", "position", "is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["name"]
    raw_id_fields = ["gift", "coupon_definition"]
    list_select_related = ["gift"]

    @admin.display(description="stock")
    def stock_shown(self, obj):
        left = obj.stock_left
        return "unlimited" if left is None else left


@admin.register(PointsShopRedemption)
class PointsShopRedemptionAdmin(admin.ModelAdmin):
    list_display = ["item", "customer", "points", "coupon", "entitlement", "created_at"]
    search_fields = ["customer__email", "item__name"]
    list_select_related = ["item", "customer", "coupon", "entitlement__gift"]
    readonly_fields = [
        "customer",
        "item",
        "points",
        "idempotency_key",
        "coupon",
        "entitlement",
        "points_entry_id",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
