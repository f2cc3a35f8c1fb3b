"""API routes of promotions; included under /api/v1/ by shop/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CouponViewSet
from .draw_api import DrawCampaignView, DrawRevealView, DrawViewSet, LeaderboardView

router = SimpleRouter()
router.register("account/coupons", CouponViewSet, basename="account-coupon")
router.register("account/draws", DrawViewSet, basename="account-draw")

urlpatterns = router.urls + [
    path("draws/<slug:slug>/", DrawCampaignView.as_view(), name="draw-campaign"),
    path("draws/<slug:slug>/reveal/", DrawRevealView.as_view(), name="draw-reveal"),
    path("leaderboards/<slug:slug>/", LeaderboardView.as_view(), name="leaderboard"),
]
