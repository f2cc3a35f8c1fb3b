"""The catalog under /api/v1/: parts, their prices and stock, and batch lookup.

Lists that a client keeps in step take ``updated_after``: rows changed since then, oldest
first, paged by a cursor (see ``shop.api_pagination``). A part and a lookup answer carry an
``ETag``; sending it back in ``If-None-Match`` gets ``304 Not Modified`` when nothing changed.
"""

import hashlib
import json
from datetime import UTC, datetime

import django_filters
from django import forms
from django.utils.http import parse_etags
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from . import lookup, search
from .models import Lifecycle, Part, RoHS, Stock, normalize_mpn
from .selectors import parts_for_listing, parts_with_prices, stock_with_parts
from .serializers import (
    LookupRequestSerializer,
    LookupResponseSerializer,
    PartPricesSerializer,
    PartSerializer,
    StockSerializer,
)

MAX_QUERY_LENGTH = 200


# --- Strict query parameters ---------------------------------------------------------------


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    TRUE = {"true", "1"}
    FALSE = {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Use true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class AwareDateTimeField(forms.Field):
    """An ISO 8601 date and time with its offset (2026-01-31T08:00:00Z)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        message = (
            "Give an ISO 8601 date and time with its offset, e.g. 2026-01-31T08:00:00Z "
            "(in a URL, encode the + of an offset)."
        )
        try:
            parsed = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise forms.ValidationError(message, code="invalid") from None
        if parsed.tzinfo is None:
            raise forms.ValidationError(message, code="invalid")
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("That time is out of range.", code="invalid") from None


class UpdatedAfterFilter(django_filters.IsoDateTimeFilter):
    field_class = AwareDateTimeField

    def __init__(self, field_name: str, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Only rows changed after this time (ISO 8601 with offset), oldest first; "
            "follow the next link (a cursor) to page through them.",
        )
        super().__init__(field_name=field_name, lookup_expr="gt", **kwargs)


class PartFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(
        method="filter_category", help_text="category path", max_length=200
    )
    manufacturer = django_filters.CharFilter(field_name="manufacturer__slug", max_length=120)
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)
    mpn = django_filters.CharFilter(
        method="filter_mpn", help_text="MPN in any spelling", max_length=100
    )
    in_stock = StrictBooleanFilter(method="filter_in_stock")
    rohs = StrictBooleanFilter(method="filter_rohs")
    updated_after = UpdatedAfterFilter("page_changed_at")

    class Meta:
        model = Part
        fields = [
            "category", "manufacturer", "lifecycle", "mpn", "in_stock", "rohs", "updated_after",
        ]

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


class PriceFilter(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter("page_changed_at")

    class Meta:
        model = Part
        fields = ["updated_after"]


class StockFilter(django_filters.FilterSet):
    updated_after = UpdatedAfterFilter("updated_at")

    class Meta:
        model = Stock
        fields = ["updated_after"]


# --- Conditional answers -------------------------------------------------------------------


def _etag_of(data) -> str:
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.blake2b(body.encode(), digest_size=16).hexdigest() + '"'


def conditional_response(request, data) -> Response:
    """200 with an ETag of the payload, or 304 when the client already holds it."""
    etag = _etag_of(data)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    held = parse_etags(request.headers.get("If-None-Match", ""))
    if "*" in held or etag.removeprefix("W/") in {e.removeprefix("W/") for e in held}:
        return Response(status=304, headers=headers)
    return Response(data, headers=headers)


NOT_MODIFIED = OpenApiResponse(description="Not modified: the ETag sent in If-None-Match holds.")
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of an earlier answer; 304 with no body when it still holds.",
)


# --- Views ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Part number, values (10k 0603 1%) or keywords, as in the store",
            )
        ]
    )
)
class PartViewSet(viewsets.ReadOnlyModelViewSet):
    """Parts of the catalog with prices, stock and parameters; looked up by store sku."""

    serializer_class = PartSerializer
    filterset_class = PartFilter
    lookup_field = "sku"
    change_field = "page_changed_at"

    def get_queryset(self):
        parts = parts_for_listing()
        query = self.request.query_params.get("q")
        if self.action == "list" and query:
            if len(query) > MAX_QUERY_LENGTH:
                raise ValidationError({"q": [f"At most {MAX_QUERY_LENGTH} characters."]})
            outcome = search.search(query)
            if outcome.exact_part is not None:
                return parts.filter(pk=outcome.exact_part.pk)
            if outcome.parts is None:
                return parts.none()
            return parts.filter(pk__in=outcome.parts.values("pk")).order_by("normalized_mpn", "id")
        return parts.order_by("id")

    @extend_schema(parameters=[IF_NONE_MATCH], responses={200: PartSerializer, 304: NOT_MODIFIED})
    def retrieve(self, request, *args, **kwargs):
        return conditional_response(request, self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=LookupRequestSerializer,
        parameters=[IF_NONE_MATCH],
        responses={200: LookupResponseSerializer, 304: NOT_MODIFIED},
        description=(
            f"Resolve up to {lookup.MAX_LINES} part numbers (with optional manufacturer and "
            "quantity) in one request. Each result has the match kind (exact, normalized, "
            "suffix_removed, partial, ambiguous, none), the part, stock, and the unit and "
            "extended price at the orderable quantity (MOQ and order multiple applied). "
            "The same request with the answer's ETag in If-None-Match gets 304 while "
            "nothing in it changed."
        ),
    )
    @action(
        detail=False, methods=["post"], permission_classes=[AllowAny], parser_classes=[JSONParser]
    )
    def lookup(self, request):
        serializer = LookupRequestSerializer(data=request.data, max_lines=lookup.MAX_LINES)
        serializer.is_valid(raise_exception=True)
        lines = [lookup.LookupLine(**item) for item in serializer.validated_data["items"]]
        data = LookupResponseSerializer({"results": lookup.lookup(lines)}).data
        return conditional_response(request, data)


@extend_schema(tags=["prices"])
class PriceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Price ladders of every part in the store currency; with updated_after, the changes."""

    serializer_class = PartPricesSerializer
    filterset_class = PriceFilter
    change_field = "page_changed_at"

    def get_queryset(self):
        return parts_with_prices().order_by("id")


@extend_schema(tags=["stock"])
class StockViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Own warehouse stock per part; with updated_after, the changes."""

    serializer_class = StockSerializer
    filterset_class = StockFilter
    change_field = "updated_at"

    def get_queryset(self):
        return stock_with_parts().order_by("pk")

