import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from . import lookup, search
from .models import Lifecycle, Part, RoHS, normalize_mpn
from .selectors import parts_for_listing
from .serializers import PartSerializer


class PartFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(method="filter_category", help_text="category path")
    manufacturer = django_filters.CharFilter(field_name="manufacturer__slug")
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)
    mpn = django_filters.CharFilter(method="filter_mpn", help_text="MPN in any spelling")
    in_stock = django_filters.BooleanFilter(method="filter_in_stock")
    rohs = django_filters.BooleanFilter(method="filter_rohs")

    class Meta:
        model = Part
        fields = ["category", "manufacturer", "lifecycle", "mpn", "in_stock", "rohs"]

    def filter_category(self, queryset, name, value):
        path = value.strip("/")
        return queryset.filter(category__path=path) | queryset.filter(
            category__path__startswith=path + "/"
        )

    def filter_mpn(self, queryset, name, value):
        return queryset.filter(normalized_mpn=normalize_mpn(value))

    def filter_in_stock(self, queryset, name, value):
        if value:
            return queryset.filter(stock_available__gt=0)
        return queryset.filter(stock_available=0)

    def filter_rohs(self, queryset, name, value):
        if value:
            return queryset.filter(rohs=RoHS.COMPLIANT)
        return queryset.exclude(rohs=RoHS.COMPLIANT)


class LookupLineSerializer(serializers.Serializer):
    mpn = serializers.CharField(max_length=100)
    manufacturer = serializers.CharField(max_length=120, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000, default=1)


class LookupRequestSerializer(serializers.Serializer):
    items = LookupLineSerializer(many=True, allow_empty=False)

    def validate_items(self, items):
        if len(items) > lookup.MAX_LINES:
            raise serializers.ValidationError(
                f"At most {lookup.MAX_LINES} part numbers per request; split the list."
            )
        return items


class LookupThrottle(AnonRateThrottle):
    rate = "120/min"


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q", str, description="Part number, values (10k 0603 1%) or keywords, as in the store"
        )
    ]
)
class PartViewSet(viewsets.ReadOnlyModelViewSet):
    """Parts of the catalog with prices, stock and parameters; looked up by store sku."""

    serializer_class = PartSerializer
    filterset_class = PartFilter
    lookup_field = "sku"

    def get_queryset(self):
        parts = parts_for_listing()
        query = self.request.query_params.get("q")
        if self.action == "list" and query:
            outcome = search.search(query)
            if outcome.exact_part is not None:
                return parts.filter(pk=outcome.exact_part.pk)
            if outcome.parts is None:
                return parts.none()
            return parts.filter(pk__in=outcome.parts.values("pk")).order_by("normalized_mpn", "id")
        return parts.order_by("id")

    @extend_schema(
        request=LookupRequestSerializer,
        responses={200: dict},
        description=(
            "Resolve up to 100 part numbers (with optional manufacturer and quantity) in one "
            "request. Each result has the match kind (exact, normalized, suffix_removed, "
            "partial, ambiguous, none), the part, stock, and the unit and extended price at "
            "the orderable quantity (MOQ and order multiple applied)."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[AllowAny],
        throttle_classes=[LookupThrottle],
    )
    def lookup(self, request):
        serializer = LookupRequestSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        lines = [lookup.LookupLine(**item) for item in serializer.validated_data["items"]]
        return Response({"results": lookup.lookup(lines)})
