from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("llms.txt", views.llms_txt, name="llms-txt"),
    path("favicon.ico", views.favicon),
    path("", include("catalog.urls")),
    path("", include("orders.urls")),
    path("admin/", admin.site.urls),
    path("account/", include("customers.urls")),
    path("account/", include("promotions.urls")),
    path("api/v1/", include("shop.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.SERVE_MEDIA:
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
