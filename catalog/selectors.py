"""Reads of the catalog shaped for pages and the API."""

from django.db.models import Prefetch, QuerySet

from .models import PackagingOption, Part, PriceBreak


def parts_for_listing() -> QuerySet[Part]:
    """Parts with everything a listing row shows, in a fixed number of queries."""
    return Part.objects.select_related("manufacturer", "category", "stock").prefetch_related(
        Prefetch(
            "packaging_options",
            queryset=PackagingOption.objects.prefetch_related(
                Prefetch("price_breaks", queryset=PriceBreak.objects.order_by("min_quantity"))
            ),
        ),
        "parameter_values__definition",
    )
