"""The quotes API (/api/v1/quotes/): the customer's quote requests with our answers, and
accepting quoted lines into the cart. Thin views over the RFQ services; another customer's
quote is a 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from ..api.views import (
    ERRORS_400,
    ERRORS_401,
    ERRORS_404,
    IDEMPOTENCY_HEADER,
    OrdersAPIView,
    conflict,
    conflict_response,
)
from ..errors import OrdersError
from ..models import Inquiry
from . import selectors, services

UNIT_PRICE = {"max_digits": 19, "decimal_places": 6, "read_only": True, "allow_null": True}
MONEY = {"max_digits": 19, "decimal_places": 2, "read_only": True, "allow_null": True}


class QuoteLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk", read_only=True)
    mpn = serializers.CharField(source="line.mpn", read_only=True)
    manufacturer = serializers.CharField(source="line.manufacturer", read_only=True)
    part = serializers.IntegerField(source="line.part_id", read_only=True, allow_null=True)
    quantity_asked = serializers.IntegerField(source="line.quantity", read_only=True)
    target_unit_price = serializers.DecimalField(source="line.target_unit_price", **UNIT_PRICE)
    needed_by = serializers.DateField(source="line.needed_by", read_only=True, allow_null=True)
    cannot_offer = serializers.BooleanField(source="line.cannot_offer", read_only=True)
    alternate_part = serializers.IntegerField(
        source="line.alternate_part_id", read_only=True, allow_null=True
    )
    unit_price = serializers.DecimalField(source="line.quoted_unit_price", **UNIT_PRICE)
    quantity = serializers.IntegerField(
        source="line.quoted_quantity", read_only=True, allow_null=True
    )
    total = serializers.DecimalField(**MONEY)
    lead_days = serializers.IntegerField(source="line.lead_days", read_only=True, allow_null=True)
    valid_until = serializers.DateField(
        source="line.valid_until", read_only=True, allow_null=True
    )
    in_cart = serializers.BooleanField(read_only=True)
    ordered_in = serializers.CharField(read_only=True)
    can_buy = serializers.BooleanField(read_only=True)


class QuoteSummarySerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    quoted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    line_count = serializers.IntegerField(read_only=True)


class QuoteSerializer(serializers.Serializer):
    """A quote request; our answers per line once the quote was sent."""

    reference = serializers.CharField(source="inquiry.reference", read_only=True)
    status = serializers.CharField(source="inquiry.status", read_only=True)
    created_at = serializers.DateTimeField(source="inquiry.created_at", read_only=True)
    quoted_at = serializers.DateTimeField(
        source="inquiry.quoted_at", read_only=True, allow_null=True
    )
    valid_until = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(source="inquiry.reply", read_only=True)
    can_accept = serializers.BooleanField(read_only=True)
    can_decline = serializers.BooleanField(read_only=True)
    lines = serializers.SerializerMethodField()

    def get_lines(self, data) -> list[dict]:
        rows = data["rows"]
        if not data["shown"]:
            return [
                {**QuoteLineSerializer(row).data, **dict.fromkeys(_ANSWER_FIELDS)} for row in rows
            ]
        return QuoteLineSerializer(rows, many=True).data


_ANSWER_FIELDS = ("unit_price", "quantity", "total", "lead_days", "valid_until", "alternate_part")


class QuoteAcceptSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=100,
        help_text="Ids of the quote's lines to put in the cart.",
    )


def _quote_data(request, reference: str) -> dict:
    inquiry = selectors.inquiry_of_or_none(customer=request.user, reference=reference)
    if inquiry is None:
        raise NotFound("No quote of yours has this reference.")
    return selectors.quote_page_data(inquiry=inquiry)


class QuoteListView(OrdersAPIView):
    @extend_schema(
        summary="Your quote requests",
        description="Newest first, at most 200.",
        responses={200: QuoteSummarySerializer(many=True), 401: ERRORS_401},
        tags=["quotes"],
    )
    def get(self, request):
        inquiries = selectors.inquiries_of(customer=request.user)[:200]
        return Response(QuoteSummarySerializer(inquiries, many=True).data)


class QuoteDetailView(OrdersAPIView):
    @extend_schema(
        summary="One of your quotes",
        description="Each line with our answer: unit price for a quantity, lead time and "
        "validity, or cannot offer with an alternate part; whether it can still be bought.",
        responses={200: QuoteSerializer, 401: ERRORS_401, 404: ERRORS_404},
        tags=["quotes"],
    )
    def get(self, request, reference: str):
        return Response(QuoteSerializer(_quote_data(request, reference)).data)


class QuoteAcceptView(OrdersAPIView):
    @extend_schema(
        summary="Buy quoted lines",
        description="Puts the chosen lines in your cart at the quoted price and for the quoted "
        "quantity only; then order them through the checkout. A quote line is bought once. "
        "The `Idempotency-Key` header is required: the same key with the same lines answers "
        "200 with the same result; with other lines it is a 409 `idempotency_conflict`.",
        request=QuoteAcceptSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="At most 64 printable characters, unique per acceptance.",
            )
        ],
        responses={
            201: OpenApiResponse(QuoteSerializer, description="The lines are in your cart."),
            200: OpenApiResponse(QuoteSerializer, description="This key accepted these lines."),
            400: ERRORS_400,
            401: ERRORS_401,
            404: ERRORS_404,
            409: conflict_response("idempotency_conflict"),
        },
        tags=["quotes"],
    )
    def post(self, request, reference: str):
        if selectors.inquiry_of_or_none(customer=request.user, reference=reference) is None:
            raise NotFound("No quote of yours has this reference.")
        data = QuoteAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key or len(key) > 64 or not key.isprintable():
            raise ValidationError(
                {IDEMPOTENCY_HEADER: ["Send a key of at most 64 printable characters."]}
            )
        line_ids = data.validated_data["lines"]
        replay = selectors.acceptance_done(
            customer=request.user, line_ids=line_ids, idempotency_key=key
        )
        try:
            services.quote_accept(
                customer=request.user, reference=reference, line_ids=line_ids, idempotency_key=key
            )
        except Inquiry.DoesNotExist as error:
            raise NotFound("No quote of yours has this reference.") from error
        except DjangoValidationError as error:
            raise ValidationError({"lines": error.messages}) from error
        except OrdersError as error:
            raise conflict(error) from error
        return Response(
            QuoteSerializer(_quote_data(request, reference)).data,
            status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )
