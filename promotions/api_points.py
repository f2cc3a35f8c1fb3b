"""/api/v1/account/points-shop/: the points shop's items, redeeming one (``Idempotency-Key``),
and the gifts the caller is owed. The points balance and history are
/api/v1/account/points/ and /api/v1/account/points/entries/ (customers)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import selectors as customer_selectors
from customers.api_auth import HasOrderingScope

from . import points_selectors
from .models_gifts import GiftEntitlement
from .models_shop import PointsShopItem, PointsShopItemKind, PointsShopRedemption
from .points_shop import PointsShopError, shop_redeem

IDEMPOTENCY_HEADER = "Idempotency-Key"


class ShopItemSerializer(serializers.ModelSerializer):
    stock_left = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Pieces left; null when unlimited."
    )
    coupon_value = serializers.SerializerMethodField()
    gift = serializers.CharField(source="gift.name", read_only=True, default=None)

    class Meta:
        model = PointsShopItem
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "points_cost",
            "stock_left",
            "coupon_value",
            "gift",
        ]

    def get_coupon_value(self, item) -> str | None:
        return item.coupon_definition.value_display if item.coupon_definition_id else None


class RedeemRequestSerializer(serializers.Serializer):
    ship = serializers.ChoiceField(
        choices=["with_order", "alone"],
        default="with_order",
        help_text="For gifts: with your next order, or on its own.",
    )


class RedemptionSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True)
    coupon_code = serializers.CharField(source="coupon.code", read_only=True, default=None)
    gift = serializers.CharField(source="entitlement.gift.name", read_only=True, default=None)
    ship_alone = serializers.BooleanField(
        source="entitlement.ship_alone", read_only=True, default=None
    )
    points_left = serializers.SerializerMethodField()

    class Meta:
        model = PointsShopRedemption
        fields = [
            "id",
            "item",
            "points",
            "coupon_code",
            "gift",
            "ship_alone",
            "points_left",
            "created_at",
        ]

    def get_points_left(self, redemption) -> int:
        return points_selectors.points_balance(redemption.customer)


class GiftEntitlementSerializer(serializers.ModelSerializer):
    gift = serializers.CharField(source="gift.name", read_only=True)

    class Meta:
        model = GiftEntitlement
        fields = ["id", "gift", "source", "state", "ship_alone", "order_reference", "created_at"]


class PointsShopRefused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"

    def __init__(self, error: PointsShopError):
        super().__init__(detail=error.message, code=error.code)


class ShopItemList(generics.ListAPIView):
    """Items on sale in the points shop, cheapest first within their position."""

    serializer_class = ShopItemSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return points_selectors.shop_items()

    @extend_schema(summary="Points shop items", tags=["account"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ShopItemRedeem(APIView):
    permission_classes = [permissions.IsAuthenticated, HasOrderingScope]

    @extend_schema(
        summary="Redeem a points shop item",
        description="Spends the item's points and takes one from its stock, in one step. "
        "The `Idempotency-Key` header is required: the same key again answers 200 with the "
        "first redemption. Not enough points or no stock left is a 409 "
        "(`insufficient_points`, `out_of_stock`) and nothing is debited.",
        request=RedeemRequestSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="At most 100 printable characters, unique per redemption.",
            )
        ],
        responses={
            201: OpenApiResponse(RedemptionSerializer, description="Redeemed."),
            200: OpenApiResponse(RedemptionSerializer, description="This key redeemed it."),
        },
        tags=["account"],
    )
    def post(self, request, item_id: int):
        item = points_selectors.shop_item_for_sale(item_id)
        if item is None:
            raise Http404
        payload = RedeemRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key:
            raise exceptions.ValidationError(
                {"idempotency_key": "An Idempotency-Key header is required."}
            )
        replay = PointsShopRedemption.objects.filter(
            customer=request.user, idempotency_key=key, item=item
        ).exists()
        try:
            redemption = shop_redeem(
                customer=request.user,
                item_id=item.pk,
                idempotency_key=key,
                ship_alone=item.kind == PointsShopItemKind.GIFT
                and payload.validated_data["ship"] == "alone",
            )
        except PointsShopError as error:
            if error.code == "bad_key":
                raise exceptions.ValidationError({"idempotency_key": error.message}) from error
            raise PointsShopRefused(error) from error
        return Response(
            RedemptionSerializer(redemption).data,
            status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )


class GiftList(generics.ListAPIView):
    """Gifts you are owed that have not shipped yet."""

    serializer_class = GiftEntitlementSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GiftEntitlement.objects.none()
        return points_selectors.open_gifts(self.request.user)

    @extend_schema(summary="Your gifts waiting to ship", tags=["account"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ExpiringPointsSerializer(serializers.Serializer):
    points = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class ExpiringPointsList(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Your points and when they expire",
        description="Unspent earned points per batch, soonest expiry first (points spent "
        "count against the earliest batch).",
        responses=ExpiringPointsSerializer(many=True),
        tags=["account"],
    )
    def get(self, request):
        schedule = customer_selectors.points_expiry_schedule(user_id=request.user.pk)
        return Response(ExpiringPointsSerializer(schedule, many=True).data)
