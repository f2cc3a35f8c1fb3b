"""The help pages in the sitemaps, in both languages with their alternates."""

from datetime import datetime

from django.db.models import Max
from django.urls import reverse

from catalog.sitemaps import StoreSitemap

from .models import InfoPage


class InfoPageSitemap(StoreSitemap):
    changefreq = "monthly"

    def items(self):
        return InfoPage.objects.filter(is_published=True).order_by("position", "slug")

    def location(self, page: InfoPage) -> str:
        return reverse("info-page", args=[page.slug])

    def lastmod(self, page: InfoPage) -> datetime:
        return page.updated_at


def latest_change() -> datetime | None:
    return InfoPage.objects.filter(is_published=True).aggregate(m=Max("updated_at"))["m"]
