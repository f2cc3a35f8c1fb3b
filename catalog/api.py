import django_filters
from rest_framework import viewsets

from .models import Lifecycle, Part
from .selectors import parts_for_listing
from .serializers import PartSerializer


class PartFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__path", lookup_expr="startswith")
    manufacturer = django_filters.CharFilter(field_name="manufacturer__slug")
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)
    mpn = django_filters.CharFilter(method="filter_mpn")

    class Meta:
        model = Part
        fields = ["category", "manufacturer", "lifecycle", "mpn"]

    def filter_mpn(self, queryset, name, value):
        from .models import normalize_mpn

        return queryset.filter(normalized_mpn=normalize_mpn(value))


class PartViewSet(viewsets.ReadOnlyModelViewSet):
    """Parts of the catalog with prices, stock and parameters; looked up by store sku."""

    serializer_class = PartSerializer
    filterset_class = PartFilter
    lookup_field = "sku"

    def get_queryset(self):
        return parts_for_listing().order_by("id")
