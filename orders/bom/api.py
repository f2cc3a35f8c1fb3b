"""The BOM API (/api/v1/bom/): upload a file or post JSON lines, read the priced result, add
the matched lines to the cart. Thin views over the BOM services; errors are raised as DRF
exceptions, answered in the API's one format (``shop.api_errors``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from ..api.views import ERRORS_400, ERRORS_401, ERRORS_404, OrdersAPIView, field_errors
from ..cart.services import CartOwner
from ..models import Bom
from . import reader, selectors, services
from .serializers import (
    BomCartResultSerializer,
    BomCreateSerializer,
    BomSerializer,
    BomSummarySerializer,
    bom_data,
)


def _bom_of(request, bom_id: int):
    bom = selectors.bom_for_visit(customer=request.user, visitor_key="", bom_id=bom_id)
    if bom is None:
        raise NotFound("No such BOM among yours.")
    return bom


def _table(data) -> reader.Table:
    if data.get("file"):
        upload = data["file"]
        if upload.size > reader.MAX_FILE_BYTES:
            raise ValidationError({"file": ["The file is over 5 MB; upload at most 5 MB."]})
        try:
            return reader.read_upload(upload.name, upload.read(reader.MAX_FILE_BYTES + 1))
        except DjangoValidationError as error:
            raise field_errors(error, field="file") from error
    try:
        return reader.table_from_lines(data["lines"])
    except DjangoValidationError as error:
        raise field_errors(error, field="lines") from error


class BomListView(OrdersAPIView, generics.ListAPIView):
    serializer_class = BomSummarySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Bom.objects.none()
        return selectors.owner_boms(customer=self.request.user)

    @extend_schema(
        summary="Your BOMs",
        description="Last changed first, paginated.",
        responses={200: BomSummarySerializer(many=True), 400: ERRORS_400, 401: ERRORS_401},
        tags=["bom"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Match and price a BOM",
        description="Send the BOM as a file (multipart `file`: CSV, TSV, TXT or XLSX, read as "
        "the BOM page reads it) or as JSON `lines`. Every line is matched to a part (exact, "
        "candidates to choose from, a value suggestion to check, or not found) and priced "
        "for `build_quantity` boards with `attrition_percent` extra. Rows that could not be "
        "read are listed in `problems`.",
        request={
            "application/json": BomCreateSerializer,
            "multipart/form-data": BomCreateSerializer,
        },
        responses={201: BomSerializer, 400: ERRORS_400, 401: ERRORS_401},
        tags=["bom"],
    )
    def post(self, request):
        data = BomCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        table = _table(values)
        mapping = dict(table.mapping)
        try:
            reader.require_mapping(mapping, table.headers)
            bom, priced = services.bom_create_priced(
                owner=CartOwner(customer=request.user),
                table=table,
                mapping=mapping,
                name=values.get("name", ""),
                settings=services.BomSettings(
                    build_quantity=values["build_quantity"],
                    attrition_percent=values["attrition_percent"],
                    merge_same_parts=values["merge_same_parts"],
                ),
            )
        except DjangoValidationError as error:
            raise field_errors(error, field="file" if values.get("file") else "lines") from error
        return Response(BomSerializer(bom_data(priced)).data, status=status.HTTP_201_CREATED)


class BomDetailView(OrdersAPIView):
    @extend_schema(
        summary="A BOM at today's prices",
        responses={200: BomSerializer, 401: ERRORS_401, 404: ERRORS_404},
        tags=["bom"],
    )
    def get(self, request, bom_id: int):
        priced = selectors.bom_priced(bom=_bom_of(request, bom_id))
        return Response(BomSerializer(bom_data(priced)).data)


class BomCartView(OrdersAPIView):
    @extend_schema(
        summary="Add a BOM's matched lines to your cart",
        description="All matched, priced lines in one transaction, bought as the BOM prices "
        "them (cut tape, full reels or both), or none when one is refused (400, the row named "
        "in the message).",
        request=None,
        responses={
            200: BomCartResultSerializer,
            400: ERRORS_400,
            401: ERRORS_401,
            404: ERRORS_404,
        },
        tags=["bom"],
    )
    def post(self, request, bom_id: int):
        bom = _bom_of(request, bom_id)
        try:
            priced = services.bom_add_to_cart(bom=bom, owner=CartOwner(customer=request.user))
        except DjangoValidationError as error:
            raise field_errors(error) from error
        result = {
            "added_lines": len(priced.orderable_rows),
            "total": priced.total,
            "currency": priced.currency,
        }
        return Response(BomCartResultSerializer(result).data)
