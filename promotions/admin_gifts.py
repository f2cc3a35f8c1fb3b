"""Operations' tools for gifts: the gifts and their stock, and the entitlements customers
hold — filter "ships on its own" + "waiting to ship" for the gifts staff must send."""

from django.contrib import admin, messages

from . import gifts
from .errors import GiftError
from .models_gifts import Gift, GiftEntitlement, GiftEntitlementState


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ["name", "part", "stock", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "part__mpn"]
    raw_id_fields = ["part"]


@admin.register(GiftEntitlement)
class GiftEntitlementAdmin(admin.ModelAdmin):
    list_display = [
        "gift",
        "customer",
        "source",
        "state",
        "ship_alone",
        "order_reference",
        "created_at",
        "shipped_at",
    ]
    list_filter = ["state", "ship_alone", "source"]
    search_fields = ["customer__email", "gift__name", "order_reference", "source_key"]
    list_select_related = ["gift", "customer"]
    actions = ["mark_shipped"]
    readonly_fields = [
        "customer",
        "gift",
        "source",
        "source_key",
        "ship_alone",
        "state",
        "order_reference",
        "created_at",
        "attached_at",
        "shipped_at",
        "tracking",
        "released_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Mark the selected gifts (shipping on their own) as shipped")
    def mark_shipped(self, request, queryset):
        done, refused = 0, []
        for entitlement in queryset.filter(state=GiftEntitlementState.PENDING).order_by("pk"):
            try:
                gifts.gift_mark_shipped(entitlement_id=entitlement.pk)
                done += 1
            except GiftError as error:
                refused.append(f"{entitlement}: {error}")
        if done:
            self.message_user(request, f"{done} gift(s) marked shipped.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)
