"""What the home page reads: counts over the whole catalog, kept fresh in the background."""

from __future__ import annotations

from django.db.models import Count

from catalog import refreshing
from catalog.models import Category, Manufacturer

HOME_CACHE_KEY = "home-catalog:2"
HOME_CACHE_SECONDS = 600


def build_home_catalog() -> dict:
    """The largest categories and manufacturers by part count: an aggregate over every part."""
    return {
        "categories": list(
            Category.objects.annotate(part_count=Count("parts"))
            .filter(part_count__gt=0)
            .order_by("-part_count")
            .values("name", "name_zh", "path", "part_count")[:24]
        ),
        "manufacturers": list(
            Manufacturer.objects.annotate(part_count=Count("parts"))
            .filter(part_count__gt=0)
            .order_by("-part_count")
            .values("name", "slug", "part_count")[:12]
        ),
    }


def home_catalog() -> dict:
    """Recomputed at most every ten minutes, and never by a visitor's request once warm."""
    return refreshing.cached(HOME_CACHE_KEY, build_home_catalog, fresh_seconds=HOME_CACHE_SECONDS)


def refresh_home_catalog() -> dict:
    return refreshing.refresh(HOME_CACHE_KEY, build_home_catalog, fresh_seconds=HOME_CACHE_SECONDS)
