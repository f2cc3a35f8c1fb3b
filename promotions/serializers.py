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


# Bounds of what one check takes: a real cart is far inside them, and a total within them
# always fits the quote's money fields.
CHECK_MAX_QUANTITY = 10_000_000
CHECK_MAX_LINES = 500


class CouponCheckLineSerializer(serializers.Serializer):
    part_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=CHECK_MAX_QUANTITY,
        help_text="Pieces; the store prices the line from the part's price breaks.",
        error_messages={
            "min_value": "The quantity must be at least 1.",
            "max_value": f"At most {CHECK_MAX_QUANTITY:,} pieces per line; for more, ask for "
            "a quote.",
        },
    )


class CouponCheckRequestSerializer(serializers.Serializer):
    lines = CouponCheckLineSerializer(
        many=True,
        allow_empty=False,
        max_length=CHECK_MAX_LINES,
        error_messages={
            "max_length": f"At most {CHECK_MAX_LINES} lines per check.",
            "empty": "Send at least one line.",
        },
    )
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
