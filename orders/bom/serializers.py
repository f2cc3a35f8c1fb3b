"""JSON shapes of the BOM API. Amounts are strings of exact decimals in the store currency."""

from rest_framework import serializers

from ..api.serializers import MONEY, UNIT_PRICE, StockCoverSerializer
from ..models import BomMatch
from ..models.bom import MAX_BUILD_QUANTITY
from . import reader

CELL = {"max_length": reader.MAX_CELL_CHARS, "required": False, "allow_blank": True}


class BomLineInputSerializer(serializers.Serializer):
    mpn = serializers.CharField(help_text="Manufacturer part number.", **CELL)
    manufacturer = serializers.CharField(**CELL)
    quantity = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text='Per board, whole pieces: 10, "1,000" or "1k"; empty: one per designator.',
    )
    designators = serializers.CharField(**CELL)
    value = serializers.CharField(help_text='For lines without an MPN: "100nF".', **CELL)
    footprint = serializers.CharField(help_text='"0402", "C_0402_1005Metric".', **CELL)
    customer_part = serializers.CharField(help_text="Your own part number.", **CELL)
    description = serializers.CharField(**CELL)


class BomCreateSerializer(serializers.Serializer):
    """A BOM as a file (multipart ``file``) or as JSON ``lines``; one of the two."""

    file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="CSV, TSV, TXT or XLSX, at most 5 MB and 5,000 lines.",
    )
    lines = BomLineInputSerializer(many=True, required=False, max_length=reader.MAX_ROWS)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    build_quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_BUILD_QUANTITY, default=1, help_text="Boards to build."
    )
    attrition_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, default=0
    )
    merge_same_parts = serializers.BooleanField(default=True)

    def validate(self, data):
        if bool(data.get("file")) == bool(data.get("lines")):
            raise serializers.ValidationError("Send a BOM file or a list of lines, one of the two.")
        return data


class BomPartSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    sku = serializers.CharField(read_only=True)
    mpn = serializers.CharField(read_only=True)
    manufacturer = serializers.CharField(source="manufacturer.name", read_only=True)
    lifecycle = serializers.CharField(read_only=True)


class BomPurchaseLineSerializer(serializers.Serializer):
    packaging = serializers.IntegerField(read_only=True)
    packaging_label = serializers.CharField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    unit_price = serializers.DecimalField(**UNIT_PRICE)


class BomRowSerializer(serializers.Serializer):
    line_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    rows = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Row numbers in the file."
    )
    designators = serializers.CharField(read_only=True)
    mpn = serializers.CharField(read_only=True, help_text="As typed.")
    manufacturer = serializers.CharField(read_only=True, help_text="As typed.")
    value = serializers.CharField(read_only=True)
    footprint = serializers.CharField(read_only=True)
    customer_part = serializers.CharField(read_only=True)
    per_board = serializers.IntegerField(read_only=True)
    needed = serializers.IntegerField(read_only=True)
    match = serializers.ChoiceField(choices=BomMatch.choices, read_only=True)
    part = BomPartSerializer(read_only=True, allow_null=True)
    candidates = BomPartSerializer(many=True, read_only=True)
    alternate = BomPartSerializer(read_only=True, allow_null=True)
    ordered = serializers.IntegerField(read_only=True)
    purchase = BomPurchaseLineSerializer(many=True, read_only=True)
    unit_price = serializers.DecimalField(allow_null=True, **UNIT_PRICE)
    extended_price = serializers.DecimalField(allow_null=True, **MONEY)
    stock = StockCoverSerializer(read_only=True, allow_null=True)
    warning = serializers.CharField(read_only=True)
    changes = serializers.ListField(child=serializers.CharField(), read_only=True)


class BomProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(read_only=True)


class BomSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    file_name = serializers.CharField(read_only=True)
    build_quantity = serializers.IntegerField(read_only=True)
    attrition_percent = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    merge_same_parts = serializers.BooleanField(read_only=True)
    column_mapping = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="Field → column index."
    )
    currency = serializers.CharField(read_only=True)
    total = serializers.DecimalField(help_text="Matched, priced lines, excl. VAT.", **MONEY)
    matched = serializers.IntegerField(read_only=True)
    to_check = serializers.IntegerField(read_only=True)
    not_found = serializers.IntegerField(read_only=True)
    problems = BomProblemSerializer(many=True, read_only=True)
    lines = BomRowSerializer(many=True, read_only=True)


class BomSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)
    file_name = serializers.CharField(read_only=True)
    build_quantity = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class BomCartResultSerializer(serializers.Serializer):
    added_lines = serializers.IntegerField(read_only=True)
    total = serializers.DecimalField(help_text="What the added lines cost, excl. VAT.", **MONEY)
    currency = serializers.CharField(read_only=True)


def bom_data(priced) -> dict:
    """The priced BOM as ``BomSerializer`` reads it."""
    bom = priced.bom
    return {
        "id": bom.pk,
        "name": bom.name,
        "file_name": bom.file_name,
        "build_quantity": bom.build_quantity,
        "attrition_percent": bom.attrition_percent,
        "merge_same_parts": bom.merge_same_parts,
        "column_mapping": bom.column_mapping,
        "currency": priced.currency,
        "total": priced.total,
        "matched": priced.matched_count,
        "to_check": priced.to_check_count,
        "not_found": priced.not_found_count,
        "problems": [{"row": row, "reason": reason} for row, reason in bom.problems],
        "lines": [_row_data(row) for row in priced.rows],
    }


def _row_data(row) -> dict:
    first = row.first
    return {
        "line_ids": [line.pk for line in row.lines],
        "rows": [line.row_number for line in row.lines],
        "designators": row.designators,
        "mpn": first.mpn,
        "manufacturer": first.manufacturer,
        "value": first.value,
        "footprint": first.footprint,
        "customer_part": first.customer_part,
        "per_board": row.per_board,
        "needed": row.needed,
        "match": first.match,
        "part": row.part,
        "candidates": row.candidates,
        "alternate": row.alternate,
        "ordered": row.ordered,
        "purchase": [
            {
                "packaging": option.pk,
                "packaging_label": str(option),
                "quantity": pieces,
                "unit_price": unit,
            }
            for option, pieces, unit, _ in (row.purchase.lines if row.purchase else ())
        ],
        "unit_price": row.unit_price,
        "extended_price": row.total,
        "stock": row.cover,
        "warning": row.warning,
        "changes": row.changes,
    }
