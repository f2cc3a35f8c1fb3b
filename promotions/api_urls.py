"""API routes of promotions; included under /api/v1/ by shop/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CouponViewSet
from .api_points import ExpiringPointsList, GiftList, ShopItemList, ShopItemRedeem

router = SimpleRouter()
router.register("account/coupons", CouponViewSet, basename="account-coupon")

urlpatterns = router.urls + [
    path("account/points-shop/items/", ShopItemList.as_view(), name="account-points-shop-items"),
    path(
        "account/points-shop/items/<int:item_id>/redeem/",
        ShopItemRedeem.as_view(),
        name="account-points-shop-redeem",
    ),
    path("account/gifts/", GiftList.as_view(), name="account-gifts"),
    path(
        "account/points/expiring/",
        ExpiringPointsList.as_view(),
        name="account-points-expiring",
    ),
]
