"""Sitemaps and the IndexNow key: one URL each, in no language (they list both)."""

from django.urls import path, re_path

from . import views_sitemaps

app_name = "catalog-sitemaps"

urlpatterns = [
    path("sitemap.xml", views_sitemaps.sitemap_index, name="sitemap-index"),
    path(
        "sitemap-parts-<int:section>.xml", views_sitemaps.sitemap_part_section, name="sitemap-parts"
    ),
    path(
        "sitemap-parts-<int:section>-<slug:language>.xml",
        views_sitemaps.sitemap_part_section,
        name="sitemap-parts-language",
    ),
    path(
        "sitemap-<slug:section>.xml", views_sitemaps.sitemap_small_section, name="sitemap-section"
    ),
    re_path(r"^(?P<key>[A-Za-z0-9-]{8,128})\.txt$", views_sitemaps.indexnow_key,
            name="indexnow-key"),
]
