"""JSON shapes of the ordering API. Amounts are computed on the server and shown as
strings of exact decimals; every money payload names its currency."""

from rest_framework import serializers

from ..models import InvoiceKind, OrderStatus, PaymentMethod

MONEY = {"max_digits": 19, "decimal_places": 2, "read_only": True}
UNIT_PRICE = {"max_digits": 19, "decimal_places": 6, "read_only": True}


class IdField(serializers.IntegerField):
    """A row id in ASCII digits, as the pages read it (``orders.quantities.parse_id``):
    ``int()`` would read '߁' or '١٢' as 1 or 12 and pick a part the client never named."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


# --- errors ---------------------------------------------------------------------------------


class OrderConflictErrorSerializer(serializers.Serializer):
    """The ``error`` of a 409: the API's one error format with the lists of the domain
    error that a client acts on."""

    code = serializers.CharField(
        help_text="idempotency_conflict, quote_changed, out_of_stock, cart_not_orderable, "
        "empty_cart or not_cancellable."
    )
    message = serializers.CharField(help_text="A sentence for a person.")
    changes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="quote_changed: what changed."
    )
    shortages = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="out_of_stock: the lines short."
    )
    problems = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="cart_not_orderable: the lines that cannot be ordered as they are.",
    )


class OrderConflictSerializer(serializers.Serializer):
    """A 409 of the ordering API: the shop's Error with its domain error's lists."""

    error = OrderConflictErrorSerializer()


# --- cart -------------------------------------------------------------------------------------


class StockCoverSerializer(serializers.Serializer):
    status = serializers.CharField(
        read_only=True, help_text="stock (ships today), supplier (ships in lead_days) or short."
    )
    message = serializers.CharField(read_only=True)
    from_stock = serializers.IntegerField(read_only=True)
    from_suppliers = serializers.IntegerField(read_only=True)
    lead_days = serializers.IntegerField(read_only=True, allow_null=True)


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk", read_only=True)
    part = serializers.IntegerField(source="part.pk", read_only=True)
    sku = serializers.CharField(source="part.sku", read_only=True)
    mpn = serializers.CharField(source="part.mpn", read_only=True)
    manufacturer = serializers.CharField(source="part.manufacturer.name", read_only=True)
    packaging = serializers.IntegerField(
        source="line.packaging_id", read_only=True, allow_null=True
    )
    packaging_label = serializers.CharField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    unit_price = serializers.DecimalField(allow_null=True, help_text="Excl. VAT.", **UNIT_PRICE)
    net = serializers.DecimalField(source="total", allow_null=True, **MONEY)
    vat = serializers.DecimalField(allow_null=True, **MONEY)
    gross = serializers.DecimalField(source="total_incl_vat", allow_null=True, **MONEY)
    stock = StockCoverSerializer(read_only=True)
    currency = serializers.SerializerMethodField()

    def get_currency(self, line) -> str:
        return self.context.get("currency", "")


class CartSerializer(serializers.Serializer):
    """Serialize a ``PricedCart`` with ``context={"currency": cart.currency}``."""

    lines = CartLineSerializer(many=True, read_only=True)
    subtotal = serializers.DecimalField(help_text="Priced lines, excl. VAT.", **MONEY)
    vat = serializers.DecimalField(help_text="Sum of the lines' VAT.", **MONEY)
    total = serializers.DecimalField(help_text="Incl. VAT.", **MONEY)
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    vat_rule = serializers.CharField(read_only=True)
    has_unpriced_lines = serializers.BooleanField(read_only=True)
    currency = serializers.CharField(read_only=True)


class CartLineAddSerializer(serializers.Serializer):
    part = IdField(help_text="The part's id (``id`` in /api/v1/parts/).")
    quantity = serializers.CharField(
        max_length=32, help_text='Whole pieces: 1000, "1,000" or "1k" (no exponents).'
    )
    packaging = IdField(
        required=False,
        allow_null=True,
        help_text="A packaging option of the part; none for its main price ladder.",
    )


class CartLineQuantitySerializer(serializers.Serializer):
    quantity = serializers.CharField(
        max_length=32, help_text="Whole pieces, as on the cart page; 0 takes the line out."
    )


# --- checkout -------------------------------------------------------------------------------


class CheckoutChoicesSerializer(serializers.Serializer):
    """What the customer chooses; no amount is taken from the client except the balance
    they ask to use, which the server checks."""

    address_id = IdField(required=False, allow_null=True)
    shipping_method_id = IdField(required=False, allow_null=True)
    ship_partial = serializers.BooleanField(default=False)
    invoice_kind = serializers.ChoiceField(choices=InvoiceKind.choices, default=InvoiceKind.NONE)
    po_number = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    coupon_code = serializers.CharField(required=False, allow_blank=True, default="")
    points = serializers.IntegerField(min_value=0, default=0)
    balance_amount = serializers.DecimalField(
        max_digits=19,
        decimal_places=2,
        min_value=0,
        default="0.00",
        help_text="Balance to use; with payment_method=balance the whole amount is used.",
    )
    payment_method = serializers.ChoiceField(
        choices=PaymentMethod.choices, default=PaymentMethod.BANK_TRANSFER
    )


class OrderPlaceSerializer(CheckoutChoicesSerializer):
    quote_token = serializers.CharField(
        help_text="The ``token`` of the quote the customer reviewed; a change since is a 409."
    )


class QuotedLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="priced.line.pk", read_only=True)
    part = serializers.IntegerField(source="part.pk", read_only=True)
    mpn = serializers.CharField(source="part.mpn", read_only=True)
    manufacturer = serializers.CharField(source="part.manufacturer.name", read_only=True)
    packaging_label = serializers.CharField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    unit_price = serializers.DecimalField(allow_null=True, **UNIT_PRICE)
    line_total = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    vat = serializers.DecimalField(**MONEY)
    gross = serializers.DecimalField(**MONEY)
    stock = StockCoverSerializer(read_only=True)
    problem = serializers.CharField(read_only=True)


class ShippingOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="method.pk", read_only=True)
    name = serializers.CharField(source="method.name", read_only=True)
    carrier = serializers.CharField(source="method.carrier", read_only=True)
    transit_days = serializers.IntegerField(source="method.transit_days", read_only=True)
    fee = serializers.DecimalField(help_text="Excl. VAT.", **MONEY)
    fee_incl_vat = serializers.DecimalField(**MONEY)
    is_free = serializers.BooleanField(read_only=True)
    ships_on = serializers.DateField(read_only=True)
    arrives_by = serializers.DateField(read_only=True)
    available = serializers.BooleanField(read_only=True)
    reason = serializers.CharField(read_only=True)


class CheckoutQuoteSerializer(serializers.Serializer):
    currency = serializers.CharField(read_only=True)
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    lines = QuotedLineSerializer(many=True, read_only=True)
    shipping_options = ShippingOptionSerializer(many=True, read_only=True)
    shipping_method_id = serializers.IntegerField(
        source="shipping.method.pk", read_only=True, allow_null=True, default=None
    )
    subtotal = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    goods_net = serializers.DecimalField(**MONEY)
    shipping_fee = serializers.DecimalField(**MONEY)
    shipping_discount = serializers.DecimalField(**MONEY)
    shipping_vat = serializers.DecimalField(**MONEY)
    vat = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    points_available = serializers.IntegerField(read_only=True)
    points_max = serializers.IntegerField(read_only=True)
    points_used = serializers.IntegerField(read_only=True)
    points_amount = serializers.DecimalField(**MONEY)
    balance_available = serializers.DecimalField(**MONEY)
    balance_amount = serializers.DecimalField(**MONEY)
    amount_due = serializers.DecimalField(**MONEY)
    expected_ship_date = serializers.DateField(read_only=True, allow_null=True)
    can_place = serializers.BooleanField(read_only=True)
    errors = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="{field: message}"
    )
    problems = serializers.ListField(child=serializers.CharField(), read_only=True)
    token = serializers.CharField(
        read_only=True, help_text="Send it back as ``quote_token`` to place the order."
    )


# --- orders -----------------------------------------------------------------------------------


class OrderLineSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True)
    part = serializers.IntegerField(source="part_id", read_only=True, allow_null=True)
    sku = serializers.CharField(read_only=True)
    mpn = serializers.CharField(read_only=True)
    manufacturer = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    packaging_label = serializers.CharField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    unit_price = serializers.DecimalField(**UNIT_PRICE)
    line_total = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    vat = serializers.DecimalField(**MONEY)
    gross = serializers.DecimalField(**MONEY)
    from_stock = serializers.IntegerField(read_only=True)
    from_suppliers = serializers.IntegerField(read_only=True)
    lead_days = serializers.IntegerField(read_only=True, allow_null=True)
    is_gift = serializers.BooleanField(
        read_only=True, help_text="A free gift line: zero price, no VAT, outside the totals."
    )


class PaymentSerializer(serializers.Serializer):
    method = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    succeeded_at = serializers.DateTimeField(read_only=True, allow_null=True)


class RefundSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(source="order.currency", read_only=True)
    destination = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    succeeded_at = serializers.DateTimeField(read_only=True, allow_null=True)


class OrderEventSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    actor = serializers.CharField(source="actor_label", read_only=True)
    message = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class OrderSummarySerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(OrderStatus.values) + ".")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    placed_at = serializers.DateTimeField(read_only=True)
    po_number = serializers.CharField(read_only=True)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices, read_only=True)
    currency = serializers.CharField(read_only=True)
    total = serializers.DecimalField(**MONEY)
    amount_due = serializers.DecimalField(**MONEY)
    amount_paid = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)


class OrderSerializer(OrderSummarySerializer):
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)
    subtotal = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    goods_net = serializers.DecimalField(**MONEY)
    shipping_fee = serializers.DecimalField(**MONEY)
    shipping_discount = serializers.DecimalField(**MONEY)
    vat = serializers.DecimalField(**MONEY)
    points_used = serializers.IntegerField(read_only=True)
    points_amount = serializers.DecimalField(**MONEY)
    balance_amount = serializers.DecimalField(**MONEY)
    coupon_code = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    shipping_address = serializers.CharField(read_only=True)
    shipping_method = serializers.CharField(source="shipping_method_name", read_only=True)
    ship_partial = serializers.BooleanField(read_only=True)
    expected_ship_date = serializers.DateField(read_only=True, allow_null=True)
    invoice_kind = serializers.ChoiceField(choices=InvoiceKind.choices, read_only=True)
    invoice_title = serializers.CharField(read_only=True)
    invoice_taxpayer_id = serializers.CharField(read_only=True)
    paid_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    payment_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    lines = OrderLineSerializer(many=True, read_only=True, source="lines.all")
    payments = PaymentSerializer(many=True, read_only=True, source="payments.all")
    refunds = RefundSerializer(many=True, read_only=True, source="refunds.all")
    events = OrderEventSerializer(many=True, read_only=True, source="events.all")


class OrderCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", help_text="Why."
    )
