"""Report pages, mounted under /admin/reports/ by shop/urls.py (staff only)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", admin.site.admin_view(views.report_index), name="index"),
    path("refresh/", admin.site.admin_view(views.report_refresh), name="refresh"),
    *[
        path(f"{slug}/", admin.site.admin_view(views._page_view(slug)), name=slug)
        for slug in views.PAGES
    ],
]
