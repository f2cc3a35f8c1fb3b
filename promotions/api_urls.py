"""API routes of promotions; included under /api/v1/ by shop/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api import CouponViewSet

router = SimpleRouter()
router.register("account/coupons", CouponViewSet, basename="account-coupon")

urlpatterns = router.urls
