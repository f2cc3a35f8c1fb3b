"""JSON shapes of the account API; validation only, the views call the services."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from .models import (
    Address,
    BalanceEntry,
    CustomerType,
    InvoiceDetails,
    PointsEntry,
    TopUp,
    User,
)
from .validators import normalize_country_code, normalize_taxpayer_id


class ProfileSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    customer_type = serializers.ChoiceField(choices=CustomerType.choices, required=False)
    company_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email_verified = serializers.BooleanField(read_only=True)
    balance = serializers.DecimalField(max_digits=19, decimal_places=2, read_only=True)
    points = serializers.IntegerField(read_only=True)

    @staticmethod
    def from_profile(profile) -> dict:
        user = profile.user
        return {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "customer_type": profile.customer_type,
            "company_name": profile.company_name,
            "phone": profile.phone,
            "email_verified": profile.email_verified,
            "balance": profile.balance,
            "points": profile.points,
        }


class RegistrationSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    customer_type = serializers.ChoiceField(choices=CustomerType.choices)
    company_name = serializers.CharField(max_length=200, required=False, default="")
    phone = serializers.CharField(max_length=32, required=False, default="")

    def validate_email(self, value):
        # Whether the address has an account is not said here: see customer_sign_up.
        return value.strip().lower()

    def validate(self, attrs):
        password_validation.validate_password(attrs["password"], User(email=attrs["email"]))
        return attrs


class RegistrationAcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = [
            "id",
            "label",
            "recipient",
            "company",
            "phone",
            "line1",
            "line2",
            "city",
            "region",
            "postal_code",
            "country",
            "is_default",
        ]
        read_only_fields = ["id"]

    def validate_country(self, value):
        return _as_api_error(normalize_country_code, value)


class InvoiceDetailsSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceDetails
        fields = [
            "company_title",
            "taxpayer_id",
            "registered_address",
            "registered_phone",
            "bank_name",
            "bank_account",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate_taxpayer_id(self, value):
        return _as_api_error(normalize_taxpayer_id, value)


class BalanceSerializer(serializers.Serializer):
    balance = serializers.DecimalField(max_digits=19, decimal_places=2)
    currency = serializers.CharField()


class BalanceEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = BalanceEntry
        fields = [
            "id",
            "created_at",
            "kind",
            "amount",
            "balance_after",
            "reference_type",
            "reference_id",
        ]


class TopUpSerializer(serializers.ModelSerializer):
    total_credit = serializers.DecimalField(max_digits=19, decimal_places=2, read_only=True)

    class Meta:
        model = TopUp
        fields = [
            "reference",
            "amount",
            "bonus",
            "total_credit",
            "status",
            "created_at",
            "confirmed_at",
        ]


class TopUpCreateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=settings.CUSTOMERS_TOP_UP_MAX,
        error_messages={
            "invalid": "Enter the amount as a number, e.g. 500 or 1250.50.",
            "min_value": "The amount must be greater than zero.",
            "max_value": f"A single top-up is at most {settings.CUSTOMERS_TOP_UP_MAX:,}.",
            "max_digits": f"A single top-up is at most {settings.CUSTOMERS_TOP_UP_MAX:,}.",
            "max_whole_digits": f"A single top-up is at most {settings.CUSTOMERS_TOP_UP_MAX:,}.",
            "max_decimal_places": "Use at most 2 decimal places (cents).",
        },
    )


class TopUpCreatedSerializer(TopUpSerializer):
    bank_details = serializers.SerializerMethodField()

    class Meta(TopUpSerializer.Meta):
        fields = [*TopUpSerializer.Meta.fields, "bank_details"]

    def get_bank_details(self, obj) -> dict[str, str]:
        return settings.SHOP_BANK_DETAILS


class TopUpPreviewSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=19, decimal_places=2)
    bonus = serializers.DecimalField(max_digits=19, decimal_places=2)
    total_credit = serializers.DecimalField(max_digits=19, decimal_places=2)


class PointsSerializer(serializers.Serializer):
    points = serializers.IntegerField()


class PointsEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PointsEntry
        fields = [
            "id",
            "created_at",
            "kind",
            "points",
            "balance_after",
            "reference_type",
            "reference_id",
            "expires_at",
        ]


def _as_api_error(normalize, value):
    """Run a model-level normalizer and report its ValidationError the API's way."""
    try:
        return normalize(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error
