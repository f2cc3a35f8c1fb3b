"""The returns API: the customer's returns (read) and opening one, in the ordering API's
style (``orders.api.views``): errors in the API's one format, another's return is a 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from ..api.views import (
    ERRORS_400,
    ERRORS_401,
    ERRORS_404,
    IDEMPOTENCY_HEADER,
    OrdersAPIView,
    conflict,
    conflict_response,
    field_errors,
)
from ..errors import OrdersError
from ..models import OrderLine, ReturnRequest
from . import selectors, services
from .serializers import ReturnOpenSerializer, ReturnSerializer, ReturnSummarySerializer


def _own_return(request, reference: str) -> ReturnRequest:
    try:
        return selectors.return_of(customer=request.user, reference=reference)
    except ReturnRequest.DoesNotExist:
        raise NotFound("No return of yours has this reference.") from None


class ReturnListView(OrdersAPIView, generics.ListAPIView):
    serializer_class = ReturnSummarySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReturnRequest.objects.none()
        return selectors.returns_of(customer=self.request.user)

    @extend_schema(
        summary="Your returns and complaints",
        description="Newest first, paginated.",
        responses={200: ReturnSummarySerializer(many=True), 401: ERRORS_401},
        tags=["returns"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Open a return or complaint on a delivered order line",
        description="Within the return window after delivery, for at most the pieces "
        "delivered less those already in a return (pieces bought from a supplier who takes "
        "nothing back can only be complained about). Photos are JPEG, PNG or WebP, checked "
        "and re-encoded. The `Idempotency-Key` header is required: the same key again "
        "answers 200 with the same return.",
        request={
            "multipart/form-data": ReturnOpenSerializer,
            "application/json": ReturnOpenSerializer,
        },
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=True,
                description="At most 100 printable characters, unique per return you open.",
            )
        ],
        responses={
            201: OpenApiResponse(ReturnSerializer, description="The return is open."),
            200: OpenApiResponse(ReturnSerializer, description="This key opened this return."),
            400: ERRORS_400,
            401: ERRORS_401,
            404: ERRORS_404,
            409: conflict_response(
                "return_not_allowed: not delivered, the window closed, non-returnable "
                "pieces, or every piece already in a return."
            ),
        },
        tags=["returns"],
    )
    def post(self, request, *args, **kwargs):
        data = ReturnOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        line = (
            OrderLine.objects.filter(
                pk=values["line"],
                order__customer=request.user,
                order__reference=values["order"].strip().upper(),
            )
            .only("pk")
            .first()
        )
        if line is None:
            raise NotFound("No line of your orders has this id.")
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        replay = bool(key) and ReturnRequest.objects.filter(
            customer=request.user, idempotency_key=key
        ).exists()
        try:
            opened = services.return_open(
                customer=request.user,
                line_id=line.pk,
                kind=values["kind"],
                reason=values["reason"],
                quantity=values["quantity"],
                description=values["description"],
                photos=request.FILES.getlist("photos"),
                idempotency_key=key,
            )
        except DjangoValidationError as error:
            errors = field_errors(error)
            if isinstance(errors.detail, dict) and "idempotency_key" in errors.detail:
                errors.detail[IDEMPOTENCY_HEADER] = errors.detail.pop("idempotency_key")
            raise errors from error
        except OrdersError as error:
            raise conflict(error) from error
        return Response(
            ReturnSerializer(_own_return(request, opened.reference)).data,
            status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )


class ReturnDetailView(OrdersAPIView):
    @extend_schema(
        summary="One of your returns",
        description="Its status, outcome, photos and every step with its message.",
        responses={200: ReturnSerializer, 401: ERRORS_401, 404: ERRORS_404},
        tags=["returns"],
    )
    def get(self, request, reference: str):
        return Response(ReturnSerializer(_own_return(request, reference)).data)
