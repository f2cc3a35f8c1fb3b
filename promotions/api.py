"""/api/v1/account/coupons/: the caller's own coupons, and checking one against a cart."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors, services
from .errors import CouponNotApplicable
from .models import Coupon, CouponState
from .serializers import (
    CouponCheckRequestSerializer,
    CouponQuoteSerializer,
    CouponRejectionSerializer,
    CouponSerializer,
)


class CouponFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        field_name="shown_state",
        choices=CouponState.choices,
        help_text="Only coupons in this state (an unused coupon past validity is expired).",
    )

    class Meta:
        model = Coupon
        fields = ["state"]


@extend_schema_view(
    list=extend_schema(
        summary="Your coupons",
        description="Coupons issued to the signed-in customer, first-order coupon first. "
        "`state` is what the customer sees: an unused coupon past its validity is expired.",
    ),
)
class CouponViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CouponSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CouponFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Coupon.objects.none()
        return selectors.coupons_of_in_state(self.request.user, None)

    @extend_schema(
        summary="Check a coupon against a cart",
        description="The discount the coupon gives on these lines (part ids and quantities, "
        "priced by the store from its price breaks), or 400 with the reason it does not "
        "apply. Another customer's code answers 404. Nothing is redeemed.",
        request=CouponCheckRequestSerializer,
        responses={200: CouponQuoteSerializer, 400: CouponRejectionSerializer},
    )
    @action(detail=True, methods=["post"])
    def check(self, request, code=None):
        coupon = selectors.coupon_of_by_code(request.user, code)
        if coupon is None:
            raise Http404
        payload = CouponCheckRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            lines = selectors.coupon_lines_for_parts(payload.validated_data["lines"])
        except LookupError as exc:
            return Response({"code": "unknown_part", "detail": str(exc)}, status=400)
        except selectors.LinesNotPriced as exc:
            return Response({"code": "not_priced", "detail": str(exc)}, status=400)
        try:
            quote = services.coupon_check(
                coupon=coupon,
                user=request.user,
                lines=lines,
                shipping=payload.validated_data["shipping"],
                is_first_order=selectors.is_first_order_for(request.user),
            )
        except CouponNotApplicable as exc:
            return Response(
                {"code": exc.code, "detail": exc.reason}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            CouponQuoteSerializer(
                {
                    "code": coupon.code,
                    "discount": quote.discount,
                    "free_shipping": quote.free_shipping,
                    "shipping_discount": quote.shipping_discount,
                    "eligible_subtotal": quote.eligible_subtotal,
                }
            ).data
        )
