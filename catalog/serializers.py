from django.conf import settings
from rest_framework import serializers

from .models import Lifecycle, PackagingOption, ParameterValue, Part, PriceBreak, Stock


class CurrencyField(serializers.SerializerMethodField):
    """The store currency (ISO 4217) that every price in the payload is in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "ISO 4217 code of every price in this payload.")
        super().__init__(method_name="get_currency", **kwargs)


class CurrencyMixin:
    def get_currency(self, obj) -> str:
        return settings.SHOP_CURRENCY


class PriceBreakSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceBreak
        fields = ["min_quantity", "unit_price"]


class PackagingOptionSerializer(serializers.ModelSerializer):
    price_breaks = PriceBreakSerializer(many=True, read_only=True)

    class Meta:
        model = PackagingOption
        fields = ["kind", "reel_quantity", "price_breaks"]


class ParameterValueSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="definition.key")
    name = serializers.CharField(source="definition.name")
    name_zh = serializers.CharField(
        source="definition.name_zh", help_text="Chinese name; empty when none is set."
    )
    unit = serializers.CharField(source="definition.unit")

    class Meta:
        model = ParameterValue
        fields = ["key", "name", "name_zh", "unit", "text", "si_value"]


class PartSerializer(CurrencyMixin, serializers.ModelSerializer):
    manufacturer = serializers.CharField(source="manufacturer.name")
    category = serializers.CharField(source="category.path")
    category_name = serializers.CharField(source="category.name")
    category_name_zh = serializers.CharField(
        source="category.name_zh", help_text="Chinese name; empty when none is set."
    )
    stock_available = serializers.SerializerMethodField()
    currency = CurrencyField()
    packaging_options = PackagingOptionSerializer(many=True, read_only=True)
    parameters = ParameterValueSerializer(source="parameter_values", many=True, read_only=True)
    changed_at = serializers.DateTimeField(
        source="page_changed_at",
        read_only=True,
        help_text="Last change a buyer would see (specs, prices, stock status); "
        "what updated_after compares with.",
    )

    class Meta:
        model = Part
        fields = [
            "sku", "mpn", "manufacturer", "category", "category_name", "category_name_zh",
            "package", "description",
            "datasheet_url", "lifecycle", "rohs", "msl", "packaging", "moq", "order_multiple",
            "stock_available", "currency", "packaging_options", "parameters", "updated_at",
            "changed_at",
        ]

    def get_stock_available(self, part: Part) -> int:
        stock = getattr(part, "stock", None)
        return stock.available if stock else 0


class PartPricesSerializer(CurrencyMixin, serializers.ModelSerializer):
    """A part's price ladders, for following price changes."""

    manufacturer = serializers.CharField(source="manufacturer.name")
    currency = CurrencyField()
    packaging_options = PackagingOptionSerializer(many=True, read_only=True)
    changed_at = serializers.DateTimeField(source="page_changed_at", read_only=True)

    class Meta:
        model = Part
        fields = ["sku", "mpn", "manufacturer", "moq", "order_multiple", "currency",
                  "packaging_options", "changed_at"]


class StockSerializer(serializers.ModelSerializer):
    """Own warehouse stock of a part, for following stock changes."""

    sku = serializers.CharField(source="part.sku")
    mpn = serializers.CharField(source="part.mpn")
    manufacturer = serializers.CharField(source="part.manufacturer.name")
    available = serializers.IntegerField(read_only=True, help_text="On hand minus reserved.")

    class Meta:
        model = Stock
        fields = ["sku", "mpn", "manufacturer", "available", "updated_at"]


# --- Lookup --------------------------------------------------------------------------------

MATCH_KINDS = [
    ("exact", "The part number as given"),
    ("normalized", "The same part number in another spelling (case, dashes, spaces)"),
    ("suffix_removed", "Found after dropping a packaging or ordering suffix"),
    ("partial", "The only part whose number starts with the one given"),
    ("ambiguous", "Several parts match; see candidates"),
    ("none", "No part matches"),
]


class LookupLineSerializer(serializers.Serializer):
    mpn = serializers.CharField(max_length=100)
    manufacturer = serializers.CharField(max_length=120, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000, default=1)


class LookupRequestSerializer(serializers.Serializer):
    items = LookupLineSerializer(many=True, allow_empty=False)

    def __init__(self, *args, max_lines: int = 100, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_lines = max_lines

    def validate_items(self, items):
        if len(items) > self.max_lines:
            raise serializers.ValidationError(
                f"At most {self.max_lines} part numbers per request; split the list."
            )
        return items


class LookupInputSerializer(serializers.Serializer):
    mpn = serializers.CharField()
    manufacturer = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()


class PartRefSerializer(serializers.Serializer):
    sku = serializers.CharField()
    mpn = serializers.CharField()
    manufacturer = serializers.CharField()
    url = serializers.URLField(help_text="The part's page in the store.")


class LookupStockSerializer(serializers.Serializer):
    available = serializers.IntegerField()
    enough = serializers.BooleanField(help_text="Own stock covers the order quantity.")


class LookupResultSerializer(serializers.Serializer):
    """One line's answer; part, stock and prices only when exactly one part matched."""

    input = LookupInputSerializer()
    match = serializers.ChoiceField(choices=MATCH_KINDS)
    part = PartRefSerializer(required=False)
    lifecycle = serializers.ChoiceField(choices=Lifecycle.choices, required=False)
    stock = LookupStockSerializer(required=False)
    order_quantity = serializers.IntegerField(
        required=False, help_text="The quantity asked, raised to the MOQ and order multiple."
    )
    currency = serializers.CharField(required=False)
    unit_price = serializers.DecimalField(
        max_digits=19, decimal_places=6, required=False, allow_null=True,
        help_text="Unit price at order_quantity; null when the part has no price.",
    )
    extended_price = serializers.DecimalField(
        max_digits=19, decimal_places=2, required=False, allow_null=True,
        help_text="unit_price × order_quantity, rounded half-up to cents.",
    )
    candidates = PartRefSerializer(many=True, required=False)


class LookupResponseSerializer(serializers.Serializer):
    results = LookupResultSerializer(many=True)
