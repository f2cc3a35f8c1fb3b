"""/api/v1/: each app contributes its routes here."""

from django.urls import include, path

urlpatterns = [
    path("", include("catalog.api_urls")),
    path("", include("customers.api_urls")),
    path("", include("promotions.api_urls")),
    path("", include("orders.api.urls")),
]
