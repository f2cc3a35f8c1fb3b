from rest_framework import serializers

from .models import PackagingOption, ParameterValue, Part, PriceBreak


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
    unit = serializers.CharField(source="definition.unit")

    class Meta:
        model = ParameterValue
        fields = ["key", "name", "unit", "text", "si_value"]


class PartSerializer(serializers.ModelSerializer):
    manufacturer = serializers.CharField(source="manufacturer.name")
    category = serializers.CharField(source="category.path")
    stock_available = serializers.SerializerMethodField()
    packaging_options = PackagingOptionSerializer(many=True, read_only=True)
    parameters = ParameterValueSerializer(source="parameter_values", many=True, read_only=True)

    class Meta:
        model = Part
        fields = [
            "sku", "mpn", "manufacturer", "category", "package", "description",
            "datasheet_url", "lifecycle", "rohs", "msl", "packaging", "moq", "order_multiple",
            "stock_available", "packaging_options", "parameters", "updated_at",
        ]

    def get_stock_available(self, part: Part) -> int:
        stock = getattr(part, "stock", None)
        return stock.available if stock else 0
