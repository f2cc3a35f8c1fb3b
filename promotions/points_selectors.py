"""Reads for the points shop page and API."""

from __future__ import annotations

from customers.models import CustomerProfile

from .models_gifts import GiftEntitlement, GiftEntitlementState
from .models_shop import PointsShopItem, PointsShopRedemption


def shop_items():
    return PointsShopItem.objects.filter(is_active=True).select_related(
        "gift", "coupon_definition"
    )


def shop_item_for_sale(item_id: int) -> PointsShopItem | None:
    return shop_items().filter(pk=item_id).first()


def points_balance(user) -> int:
    return (
        CustomerProfile.objects.filter(user=user).values_list("points", flat=True).first() or 0
    )


def open_gifts(user):
    """Gifts the customer is owed that have not shipped yet."""
    return (
        GiftEntitlement.objects.filter(
            customer=user,
            state__in=[GiftEntitlementState.PENDING, GiftEntitlementState.ATTACHED],
        )
        .select_related("gift")
        .order_by("-pk")
    )


def recent_redemptions(user, limit: int = 10):
    return (
        PointsShopRedemption.objects.filter(customer=user)
        .select_related("item", "coupon", "entitlement")
        .order_by("-pk")[:limit]
    )


def shop_page_data(user) -> dict:
    balance = points_balance(user)
    items = list(shop_items())
    for item in items:
        item.affordable = item.points_cost <= balance
    return {
        "balance": balance,
        "items": items,
        "open_gifts": list(open_gifts(user)),
        "redemptions": list(recent_redemptions(user)),
    }
