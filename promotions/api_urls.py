"""API routes of promotions; included under /api/v1/ by shop/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CouponViewSet
from .api_points import ExpiringPointsList, GiftList, ShopItemList, ShopItemRedeem
from .draw_api import DrawCampaignView, DrawRevealView, DrawViewSet, LeaderboardView

router = SimpleRouter()
router.register("account/coupons", CouponViewSet, basename="account-coupon")
router.register("account/draws", DrawViewSet, basename="account-draw")

urlpatterns = router.urls + [
    path("draws/<slug:slug>/", DrawCampaignView.as_view(), name="draw-campaign"),
    path("draws/<slug:slug>/reveal/", DrawRevealView.as_view(), name="draw-reveal"),
    path("leaderboards/<slug:slug>/", LeaderboardView.as_view(), name="leaderboard"),
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
