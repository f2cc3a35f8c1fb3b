from decimal import Decimal

from rest_framework import serializers

from .models import Coupon, CouponDefinition, CouponState


class CouponDefinitionSerializer(serializers.ModelSerializer):
    value = serializers.CharField(source="value_display", read_only=True)

    class Meta:
        model = CouponDefinition
        fields = [
            "name",
            "description",
            "kind",
            "amount",
            "percent",
            "cap",
            "minimum_spend",
            "scope",
            "first_order_only",
            "value",
        ]


class CouponSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        source="shown_state", choices=CouponState.choices, read_only=True
    )
    definition = CouponDefinitionSerializer(read_only=True)

    class Meta:
        model = Coupon
        fields = [
            "code",
            "state",
            "is_first_order",
            "definition",
            "issued_at",
            "valid_from",
            "valid_until",
            "used_at",
            "order_reference",
        ]


class CouponCheckLineSerializer(serializers.Serializer):
    part_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1)
    line_total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text="Line total as the cart shows it, rounded to 2 decimals.",
    )


class CouponCheckRequestSerializer(serializers.Serializer):
    lines = CouponCheckLineSerializer(many=True, allow_empty=False)
    shipping = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), default=Decimal("0")
    )


class CouponQuoteSerializer(serializers.Serializer):
    code = serializers.CharField()
    discount = serializers.DecimalField(max_digits=14, decimal_places=2)
    free_shipping = serializers.BooleanField()
    shipping_discount = serializers.DecimalField(max_digits=14, decimal_places=2)
    eligible_subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)


class CouponRejectionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable reason, e.g. below_minimum_spend.")
    detail = serializers.CharField(help_text="Why the coupon does not apply, for the customer.")
