from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import api_views, health, views

# Served in every language: English unprefixed, Chinese under /zh-hans/.
storefront = i18n_patterns(
    path("", views.home, name="home"),
    path("developers/", views.developers, name="developers"),
    path("help/<slug:slug>/", views.info_page, name="info-page"),
    path("", include("promotions.public_urls")),
    path("", include("catalog.urls")),
    path("", include("orders.urls")),
    path("account/", include("customers.urls")),
    path("account/", include("promotions.urls")),
    prefix_default_language=False,
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("llms.txt", views.llms_txt, name="llms-txt"),
    path("favicon.ico", views.favicon),
    path("csrf/", views.csrf_token, name="csrf-token"),
    path("header-state/", views.header_state, name="header-state"),
    path("language/<str:language>/", views.choose_language, name="choose-language"),
    path("", include("catalog.sitemap_urls")),
    path("admin/reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("shop.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file: no inline script for the CSP to allow.
    path(
        "api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
    re_path(r"^api/", api_views.api_not_found, name="api-not-found"),
    *storefront,
]

if settings.SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
