"""API routes of customers; included under /api/v1/ by shop/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("account/addresses", api.AddressViewSet, basename="account-address")
router.register("account/top-ups", api.TopUpViewSet, basename="account-top-up")

urlpatterns = [
    path("account/token/", api.TokenObtainView.as_view(), name="account-token"),
    path("account/register/", api.RegisterView.as_view(), name="account-register"),
    path("account/profile/", api.ProfileView.as_view(), name="account-profile"),
    path("account/invoice-details/", api.InvoiceDetailsView.as_view(), name="account-invoice"),
    path("account/balance/", api.BalanceView.as_view(), name="account-balance"),
    path(
        "account/balance/entries/", api.BalanceEntryList.as_view(), name="account-balance-entries"
    ),
    path("account/top-up-preview/", api.TopUpPreviewView.as_view(), name="account-top-up-preview"),
    path("account/points/", api.PointsView.as_view(), name="account-points"),
    path("account/points/entries/", api.PointsEntryList.as_view(), name="account-points-entries"),
    *router.urls,
]
