"""The ordering API: thin views over the cart, checkout and lifecycle services.

Errors are raised as DRF exceptions, so the API's one exception handler
(``shop.api_errors``) answers them as ``{"error": {"code", "message", "fields"?}}``:
``ValidationError`` per field for input the client can correct (400, code ``invalid``),
``NotFound`` for anything not the caller's (404, never 403), and a 409 subclass of
``OrdersConflict`` per domain error, whose code is the error's ``code`` and whose
``changes``, ``shortages`` or ``problems`` go inside ``error``.
"""

from __future__ import annotations

import json

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.api_auth import HasOrderingScope

from ..cart import selectors as cart_selectors
from ..cart import services as cart_services
from ..checkout import services as checkout
from ..errors import (
    CartNotOrderable,
    EmptyCart,
    IdempotencyConflict,
    OrderNotCancellable,
    OrdersError,
    OutOfStock,
    QuoteChanged,
)
from ..lifecycle import services as lifecycle
from ..models import Order, OrderStatus
from . import selectors
from .serializers import (
    CartLineAddSerializer,
    CartLineQuantitySerializer,
    CartSerializer,
    CheckoutChoicesSerializer,
    CheckoutQuoteSerializer,
    OrderCancelSerializer,
    OrderConflictSerializer,
    OrderPlaceSerializer,
    OrderSerializer,
    OrderSummarySerializer,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"

# --- errors -----------------------------------------------------------------------------------


class OrdersConflict(APIException):
    """A domain error of orders: the request is valid but the store's state refuses it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the order's or the cart's state."

    def __init__(self, error: OrdersError):
        super().__init__(detail=error.message, code=error.code)
        # Put inside "error" by the exception handler.
        self.extra = {}
        for name in ("changes", "shortages", "problems"):
            if hasattr(error, name):
                self.extra[name] = list(getattr(error, name))


def _conflict_class(error_class: type[OrdersError]) -> type[OrdersConflict]:
    return type(
        error_class.__name__ + "Conflict",
        (OrdersConflict,),
        {"default_code": error_class.code, "default_detail": error_class.__doc__.split("\n")[0]},
    )


CONFLICTS = {
    error_class: _conflict_class(error_class)
    for error_class in (
        EmptyCart,
        CartNotOrderable,
        OutOfStock,
        QuoteChanged,
        IdempotencyConflict,
        OrderNotCancellable,
    )
}


def conflict(error: OrdersError) -> OrdersConflict:
    for error_class in type(error).__mro__:
        if error_class in CONFLICTS:
            return CONFLICTS[error_class](error)
    return OrdersConflict(error)


def field_errors(
    error: DjangoValidationError, *, field: str = "non_field_errors"
) -> ValidationError:
    """A Django ValidationError as DRF's, per field (``non_field_errors``: the request as a
    whole, which the exception handler puts in ``message`` only)."""
    if hasattr(error, "error_dict"):
        return ValidationError({name: msgs for name, msgs in error.message_dict.items()})
    return ValidationError({field: error.messages})


# The API's one error format: the component shop.api_schema.add_error_responses adds.
ERROR = {"$ref": "#/components/schemas/Error"}
ERRORS_400 = OpenApiResponse(
    ERROR, description="Not valid (code invalid): the messages per field in `fields`."
)
ERRORS_401 = OpenApiResponse(ERROR, description="Not signed in (no session, token or API key).")
ERRORS_404 = OpenApiResponse(ERROR, description="Not found among the caller's own.")


def conflict_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(OrderConflictSerializer, description=description)


class OrdersAPIView(APIView):
    """Signed-in customers only (a read-only API key may only read); errors in the API's one
    format, a 409 with the lists of its error (changes, shortages, problems)."""

    permission_classes = [permissions.IsAuthenticated, HasOrderingScope]


# --- cart -------------------------------------------------------------------------------------


def _owner(request) -> cart_services.CartOwner:
    return cart_services.CartOwner(customer=request.user)


def _cart_response(request, status_code=status.HTTP_200_OK) -> Response:
    priced = cart_services.cart_price(cart=cart_selectors.open_cart(owner=_owner(request)))
    data = CartSerializer(priced, context={"currency": priced.currency}).data
    return Response(data, status=status_code)


QUANTITY_FIELD_CODES = {"no_part": "part", "no_packaging": "packaging", "no_price": "part"}


def _cart_error(error: DjangoValidationError) -> APIException:
    if error.code == "no_line":
        return NotFound(error.messages[0])
    return ValidationError({QUANTITY_FIELD_CODES.get(error.code, "quantity"): error.messages})


class CartView(OrdersAPIView):
    @extend_schema(
        summary="Your cart",
        description="Lines at today's prices and stock, with totals; VAT per line.",
        responses={200: CartSerializer, 401: ERRORS_401},
        tags=["cart"],
    )
    def get(self, request):
        return _cart_response(request)


class CartLinesView(OrdersAPIView):
    @extend_schema(
        summary="Add a part to your cart",
        description="Adds the quantity to what is already in the cart for this part and "
        "packaging, with the same rules and messages as the cart page (MOQ, order multiple, "
        "whole reels, price list). Answers with the whole cart.",
        request=CartLineAddSerializer,
        responses={201: CartSerializer, 400: ERRORS_400, 401: ERRORS_401},
        tags=["cart"],
    )
    def post(self, request):
        data = CartLineAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            cart_services.cart_add_line(
                owner=_owner(request),
                part_id=data.validated_data["part"],
                quantity=data.validated_data["quantity"],
                packaging_id=data.validated_data.get("packaging"),
            )
        except DjangoValidationError as error:
            raise _cart_error(error) from error
        return _cart_response(request, status.HTTP_201_CREATED)


class CartLineView(OrdersAPIView):
    def _check_theirs(self, request, line_id: int) -> None:
        if not selectors.cart_line_is_theirs(customer=request.user, line_id=line_id):
            raise NotFound("That line is no longer in your cart.")

    @extend_schema(
        summary="Change a cart line's quantity",
        description="0 takes the line out. Answers with the whole cart.",
        request=CartLineQuantitySerializer,
        responses={200: CartSerializer, 400: ERRORS_400, 401: ERRORS_401, 404: ERRORS_404},
        tags=["cart"],
    )
    def patch(self, request, line_id: int):
        self._check_theirs(request, line_id)
        data = CartLineQuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            cart_services.cart_set_quantity(
                owner=_owner(request), line_id=line_id, quantity=data.validated_data["quantity"]
            )
        except DjangoValidationError as error:
            raise _cart_error(error) from error
        return _cart_response(request)

    @extend_schema(
        summary="Take a line out of your cart",
        request=None,
        responses={200: CartSerializer, 401: ERRORS_401, 404: ERRORS_404},
        tags=["cart"],
    )
    def delete(self, request, line_id: int):
        self._check_theirs(request, line_id)
        cart_services.cart_remove_line(owner=_owner(request), line_id=line_id)
        return _cart_response(request)


# --- checkout ---------------------------------------------------------------------------------


def _choices(validated: dict) -> checkout.CheckoutChoices:
    return checkout.CheckoutChoices(
        address_id=validated.get("address_id"),
        shipping_method_id=validated.get("shipping_method_id"),
        ship_partial=validated["ship_partial"],
        invoice_kind=validated["invoice_kind"],
        po_number=validated["po_number"],
        note=validated["note"],
        coupon_code=validated["coupon_code"],
        points=validated["points"],
        balance_amount=validated["balance_amount"],
        payment_method=validated["payment_method"],
    )


EMPTY_CART_409 = conflict_response("empty_cart: there is nothing in the cart to order.")


class CheckoutQuoteView(OrdersAPIView):
    # A quote is a read, though it is POSTed: a read-only key may price its cart.
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Price your cart with your checkout choices",
        description="Every amount of the order as it would be placed now, computed on the "
        "server: lines with their share of the coupon discount and VAT, the shipping "
        "options, points and balance. Choices that cannot be used are listed in `errors` "
        "(per field) and lines that cannot be ordered in `problems`; `can_place` says "
        "whether the order can be placed. Send `token` back as `quote_token` to place it.",
        request=CheckoutChoicesSerializer,
        responses={
            200: CheckoutQuoteSerializer,
            400: ERRORS_400,
            401: ERRORS_401,
            409: EMPTY_CART_409,
        },
        tags=["checkout"],
    )
    def post(self, request):
        data = CheckoutChoicesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            choices = checkout.clean_choices(_choices(data.validated_data))
        except DjangoValidationError as error:
            raise field_errors(error) from error
        cart = cart_selectors.open_cart(owner=_owner(request))
        if cart is None or not cart.lines.exists():
            raise conflict(EmptyCart())
        quote = checkout.checkout_quote(customer=request.user, cart=cart, choices=choices)
        return Response(CheckoutQuoteSerializer(quote).data)


class OrderPlaceView(OrdersAPIView):
    @extend_schema(
        summary="Place the order you reviewed",
        description="Places the order from the cart with the same choices as the quote and "
        "its `quote_token`. The `Idempotency-Key` header is required: the same key again "
        "answers 200 with the same order; the same key with another cart or choices is a "
        "409 `idempotency_conflict`. A change of prices, stock or amounts since the quote is "
        "a 409 `quote_changed` listing the changes; nothing is charged then.",
        request=OrderPlaceSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="At most 255 printable characters, unique per order you place "
                "(kept per customer).",
            )
        ],
        responses={
            201: OpenApiResponse(OrderSerializer, description="The order is placed."),
            200: OpenApiResponse(OrderSerializer, description="This key placed this order."),
            400: ERRORS_400,
            401: ERRORS_401,
            409: conflict_response(
                "idempotency_conflict, quote_changed (with `changes`), out_of_stock (with "
                "`shortages`), cart_not_orderable (with `problems`) or empty_cart."
            ),
        },
        tags=["checkout"],
    )
    def post(self, request):
        data = OrderPlaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        replay = bool(key.strip()) and selectors.order_with_key_exists(
            customer=request.user, idempotency_key=key.strip()
        )
        try:
            order = checkout.order_place(
                customer=request.user,
                choices=_choices(data.validated_data),
                idempotency_key=key,
                seen_token=data.validated_data["quote_token"],
            )
        except DjangoValidationError as error:
            errors = field_errors(error)
            if isinstance(errors.detail, dict) and "idempotency_key" in errors.detail:
                errors.detail[IDEMPOTENCY_HEADER] = errors.detail.pop("idempotency_key")
            raise errors from error
        except OrdersError as error:
            raise conflict(error) from error
        order = selectors.customer_order(customer=request.user, reference=order.reference)
        return Response(
            OrderSerializer(order).data,
            status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )


# --- orders -----------------------------------------------------------------------------------


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)
    placed_after = django_filters.DateFilter(
        field_name="placed_at", lookup_expr="date__gte", help_text="On or after this day."
    )
    placed_before = django_filters.DateFilter(
        field_name="placed_at", lookup_expr="date__lte", help_text="On or before this day."
    )
    po_number = django_filters.CharFilter(lookup_expr="iexact", help_text="Your PO number.")
    mpn = django_filters.CharFilter(
        method="filter_mpn", help_text="Orders with a line of this MPN."
    )

    class Meta:
        model = Order
        fields = ["status", "placed_after", "placed_before", "po_number", "mpn"]

    def filter_mpn(self, queryset, name, value):
        return selectors.orders_with_mpn(queryset, value)


class OrderListView(OrdersAPIView, generics.ListAPIView):
    serializer_class = OrderSummarySerializer
    filterset_class = OrderFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return selectors.customer_orders(customer=self.request.user)

    @extend_schema(
        summary="Your orders",
        description="Newest first, paginated.",
        responses={200: OrderSummarySerializer(many=True), 400: ERRORS_400, 401: ERRORS_401},
        tags=["orders"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _own_order(request, reference: str) -> Order:
    order = selectors.customer_order(customer=request.user, reference=reference)
    if order is None:
        raise NotFound("No order of yours has this reference.")
    return order


class OrderDetailView(OrdersAPIView):
    @extend_schema(
        summary="One of your orders",
        description="Every amount, the lines as sold, payments, refunds and the timeline.",
        responses={200: OrderSerializer, 401: ERRORS_401, 404: ERRORS_404},
        tags=["orders"],
    )
    def get(self, request, reference: str):
        return Response(OrderSerializer(_own_order(request, reference)).data)


class OrderCancelView(OrdersAPIView):
    @extend_schema(
        summary="Cancel one of your orders",
        description="While it awaits payment: its stock, coupon and points are given back, "
        "and what was paid from the balance is refunded to it. Cancelling a cancelled "
        "order answers it unchanged.",
        request=OrderCancelSerializer,
        responses={
            200: OrderSerializer,
            400: ERRORS_400,
            401: ERRORS_401,
            404: ERRORS_404,
            409: conflict_response("not_cancellable: the message says why."),
        },
        tags=["orders"],
    )
    def post(self, request, reference: str):
        order = _own_order(request, reference)
        data = OrderCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            lifecycle.order_cancel(
                order_id=order.pk,
                actor=request.user,
                reason=data.validated_data["reason"] or "Cancelled by the customer",
                by_staff=False,
            )
        except OrdersError as error:
            raise conflict(error) from error
        return Response(OrderSerializer(_own_order(request, reference)).data)


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class OrderPdfUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "pdf_unavailable"
    default_detail = "Order PDFs are not available at the moment."


class OrderPdfView(OrdersAPIView):
    renderer_classes = [JSONRenderer, PDFRenderer]

    def handle_exception(self, exc):
        """An error is JSON in the API's one format, also to a client that asked for the PDF
        (``Accept: application/pdf``), as the schema says."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        summary="Your order as a PDF",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            401: ERRORS_401,
            404: ERRORS_404,
            503: OpenApiResponse(
                ERROR, description="Order PDFs are not available at the moment (pdf_unavailable)."
            ),
        },
        tags=["orders"],
    )
    def get(self, request, reference: str):
        order = _own_order(request, reference)
        try:
            from ..account.pdf import render_order_pdf
        except ImportError as error:
            raise OrderPdfUnavailable() from error
        response = HttpResponse(render_order_pdf(order), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{order.reference}.pdf"'
        return response
