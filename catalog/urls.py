"""Catalog pages, in every language (shop/urls.py includes them in i18n_patterns)."""

from django.urls import path, re_path

from . import views, views_outlines, views_search

app_name = "catalog"

urlpatterns = [
    path("outline/<path:package>.svg", views_outlines.package_outline, name="outline"),
    path("search/", views_search.search_results, name="search"),
    path("search/suggest", views_search.search_suggest, name="search-suggest"),
    path("p/<str:sku>/", views.part_by_sku, name="part-by-sku"),
    path("c/<path:path>/", views.category_detail, name="category"),
    path("m/", views.manufacturer_list, name="manufacturers"),
    path("m/<str:slug>/", views.manufacturer_detail, name="manufacturer"),
    re_path(r"^part/(?P<manufacturer>[^/]+)/(?P<mpn>.+)\.json$", views.part_json, name="part-json"),
    re_path(r"^part/(?P<manufacturer>[^/]+)/(?P<mpn>.+)\.md$", views.part_markdown, name="part-md"),
    re_path(r"^part/(?P<manufacturer>[^/]+)/(?P<mpn>.+?)/?$", views.part_detail, name="part"),
]
