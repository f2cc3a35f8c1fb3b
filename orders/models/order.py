"""Orders: what a customer bought, copied so it never changes when the catalog does.

An order keeps a copy of every line (MPN, manufacturer, packaging, quantity, unit price,
discount, VAT) and every amount, the address and invoice details as they were when it was
placed, and a timeline of ``OrderEvent`` rows. Its status changes only through
``orders.status`` and ``orders.lifecycle.services.order_transition``.

Amounts (see docs/vat.md): prices are excl. VAT; VAT is computed per line, as on a Chinese
VAT invoice, and the order's VAT is the sum of its lines'. ``total`` is what the goods and
shipping cost incl. VAT; points and the balance pay part of it, and ``amount_due`` is what
is left for the chosen payment method.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from ..status import OrderStatus

UNIT_PRICE = {"max_digits": 19, "decimal_places": 6}
MONEY = {"max_digits": 19, "decimal_places": 2}
ZERO = Decimal("0.00")
# SQLite keeps decimals as floating point, so sums are compared to within a tenth of a cent
# (PostgreSQL compares them exactly; amounts are always whole cents).
_TOLERANCE = Value(Decimal("0.001"))


def adds_up(column: str, expression) -> Q:
    """A CHECK condition: ``column`` equals ``expression`` to the cent, on every database."""
    return Q(**{f"{column}__gte": expression - _TOLERANCE}) & Q(
        **{f"{column}__lte": expression + _TOLERANCE}
    )


class ShippingMethod(models.Model):
    """A way operations ship orders, with its fee: the band the order amount reaches, plus a
    charge per 1,000 pieces; free from a threshold."""

    name = models.CharField(max_length=80)
    carrier = models.CharField(max_length=80, help_text="e.g. SF Express, JD Logistics")
    tracking_url = models.CharField(
        max_length=300,
        blank=True,
        help_text="Tracking link with {tracking} where the number goes.",
    )
    transit_days = models.PositiveSmallIntegerField(
        default=1, help_text="Days from dispatch to delivery, as promised to the customer."
    )
    fee_per_thousand_pieces = models.DecimalField(
        default=ZERO, help_text="Added per started 1,000 pieces in the order.", **MONEY
    )
    free_shipping_threshold = models.DecimalField(
        null=True,
        blank=True,
        help_text="Parts subtotal (excl. VAT, after discounts) from which shipping is free; "
        "empty for never.",
        **MONEY,
    )
    countries = models.CharField(
        max_length=200,
        default="CN",
        help_text="ISO country codes this method ships to, comma-separated.",
    )
    regions = models.CharField(
        max_length=500,
        blank=True,
        help_text="Provinces / regions it serves, comma-separated; empty for all.",
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fee_per_thousand_pieces__gte=0), name="orders_shipping_fee_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.carrier})"


class ShippingRate(models.Model):
    """The base fee of a shipping method from an order amount up; the highest band applies."""

    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="rates")
    min_amount = models.DecimalField(
        default=ZERO, help_text="Parts subtotal excl. VAT from which this fee applies.", **MONEY
    )
    fee = models.DecimalField(help_text="Fee excl. VAT.", **MONEY)

    class Meta:
        ordering = ["method", "min_amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "min_amount"], name="orders_shipping_rate_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_amount__gte=0, fee__gte=0), name="orders_shipping_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"from {self.min_amount}: {self.fee}"


class InvoiceKind(models.TextChoices):
    NONE = "none", _("No invoice")
    ORDINARY = "ordinary", _("Ordinary VAT invoice (普通发票)")
    SPECIAL = "special", _("VAT special invoice (专用发票)")


class PaymentMethod(models.TextChoices):
    BALANCE = "balance", _("Account balance")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    GATEWAY = "gateway", _("Online payment")


class Order(models.Model):
    """A placed order: its copies of lines, address and invoice details, and its amounts.

    The checks that amounts add up round the sum to cents: SQLite keeps decimals as binary
    floats, where 1.08 + 0.14 is 1.2200000000000002, not 1.22 (PostgreSQL is exact anyway).
    """

    reference = models.CharField(max_length=16, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    cart = models.OneToOneField(
        "orders.Cart",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order",
        editable=False,
    )
    idempotency_key = models.CharField(max_length=255, editable=False)
    request_fingerprint = models.CharField(
        max_length=64,
        editable=False,
        help_text="Digest of the cart and choices the order was placed from: the same key "
        "with another cart is refused.",
    )
    status = models.CharField(
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_PAYMENT,
        editable=False,
    )
    currency = models.CharField(max_length=3, editable=False)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=4, editable=False)

    # Ship to (copied from the address book).
    recipient = models.CharField(max_length=120)
    company = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32)
    line1 = models.CharField("address", max_length=255)
    line2 = models.CharField("address line 2", max_length=255, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField("province / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="CN")

    shipping_method = models.ForeignKey(
        ShippingMethod, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_method_name = models.CharField(max_length=200, blank=True)
    ship_partial = models.BooleanField(
        default=False,
        help_text="Ship what is in stock now and the rest when it arrives (else all together).",
    )
    expected_ship_date = models.DateField(null=True, blank=True)

    invoice_kind = models.CharField(
        max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.NONE
    )
    invoice_title = models.CharField(max_length=200, blank=True)
    invoice_taxpayer_id = models.CharField("taxpayer ID", max_length=32, blank=True)
    invoice_address = models.CharField(max_length=255, blank=True)
    invoice_phone = models.CharField(max_length=32, blank=True)
    invoice_bank_name = models.CharField(max_length=200, blank=True)
    invoice_bank_account = models.CharField(max_length=64, blank=True)

    po_number = models.CharField("PO number", max_length=64, blank=True, db_index=True)
    note = models.TextField(blank=True)

    coupon = models.ForeignKey(
        "promotions.Coupon", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coupon_code = models.CharField(max_length=16, blank=True)

    # Amounts, fixed when the order is placed.
    subtotal = models.DecimalField(
        help_text="Lines before discount, excl. VAT.", editable=False, **MONEY
    )
    discount = models.DecimalField(
        default=ZERO, help_text="Coupon discount on the lines, excl. VAT.", editable=False, **MONEY
    )
    shipping_fee = models.DecimalField(
        default=ZERO, help_text="Shipping before discount, excl. VAT.", editable=False, **MONEY
    )
    shipping_discount = models.DecimalField(default=ZERO, editable=False, **MONEY)
    services_fee = models.DecimalField(
        default=ZERO,
        help_text="Value-added services chosen at checkout, excl. VAT.",
        editable=False,
        **MONEY,
    )
    vat = models.DecimalField(
        default=ZERO,
        help_text="Sum of the lines', shipping's and services' VAT.",
        editable=False,
        **MONEY,
    )
    total = models.DecimalField(
        help_text="Goods and shipping incl. VAT, after discounts.", editable=False, **MONEY
    )
    points_used = models.PositiveIntegerField(default=0, editable=False)
    points_amount = models.DecimalField(default=ZERO, editable=False, **MONEY)
    balance_amount = models.DecimalField(
        default=ZERO, help_text="Paid from the account balance.", editable=False, **MONEY
    )
    amount_due = models.DecimalField(
        help_text="Left to pay by the payment method after points and balance.",
        editable=False,
        **MONEY,
    )
    amount_paid = models.DecimalField(
        default=ZERO,
        help_text="Sum of succeeded payments (balance, transfers, online).",
        editable=False,
        **MONEY,
    )
    payment_method = models.CharField(
        max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.BANK_TRANSFER
    )

    placed_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    payment_due_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="An unpaid order is cancelled automatically after this.",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-placed_at"], name="orders_order_customer_idx"),
            models.Index(fields=["status", "payment_due_at"], name="orders_order_due_idx"),
            models.Index(fields=["status", "placed_at"], name="orders_order_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"], name="orders_order_unique_key_per_customer"
            ),
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(discount__gte=0)
                & Q(shipping_fee__gte=0)
                & Q(shipping_discount__gte=0)
                & Q(services_fee__gte=0)
                & Q(vat__gte=0)
                & Q(total__gte=0)
                & Q(points_amount__gte=0)
                & Q(balance_amount__gte=0)
                & Q(amount_due__gte=0)
                & Q(amount_paid__gte=0),
                name="orders_order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(discount__lte=F("subtotal"))
                & Q(shipping_discount__lte=F("shipping_fee")),
                name="orders_order_discount_within_amount",
            ),
            models.CheckConstraint(
                condition=adds_up(
                    "total",
                    F("subtotal")
                    - F("discount")
                    + F("shipping_fee")
                    - F("shipping_discount")
                    + F("services_fee")
                    + F("vat"),
                ),
                name="orders_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=adds_up(
                    "amount_due", F("total") - F("points_amount") - F("balance_amount")
                ),
                name="orders_order_amount_due_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return f"/account/orders/{self.reference}/"

    @property
    def goods_net(self) -> Decimal:
        return self.subtotal - self.discount

    @property
    def shipping_net(self) -> Decimal:
        return self.shipping_fee - self.shipping_discount

    @property
    def outstanding(self) -> Decimal:
        """What is still to be paid: the total less points and every succeeded payment."""
        return max(self.total - self.points_amount - self.amount_paid, ZERO)

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def vat_percent(self) -> Decimal:
        return (self.vat_rate * 100).normalize()

    @property
    def shipping_address(self) -> str:
        parts = [self.recipient, self.company, self.line1, self.line2]
        parts += [" ".join(p for p in (self.postal_code, self.city) if p), self.region]
        parts += [self.country]
        return ", ".join(p for p in parts if p)


class OrderLine(models.Model):
    """One part of an order as sold: the copy never changes when the catalog does."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    part = models.ForeignKey(
        "catalog.Part", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField(max_length=16, blank=True)
    mpn = models.CharField("MPN", max_length=100)
    manufacturer = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    packaging = models.ForeignKey(
        "catalog.PackagingOption",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    packaging_label = models.CharField(max_length=60, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(help_text="Excl. VAT.", **UNIT_PRICE)
    line_total = models.DecimalField(
        help_text="Unit price × quantity, rounded half-up once; excl. VAT.", **MONEY
    )
    discount = models.DecimalField(
        default=ZERO, help_text="This line's share of the coupon discount.", **MONEY
    )
    net = models.DecimalField(help_text="Line total less discount, excl. VAT.", **MONEY)
    vat = models.DecimalField(help_text="VAT on the net, rounded half-up per line.", **MONEY)
    gross = models.DecimalField(help_text="Net plus VAT.", **MONEY)
    from_stock = models.PositiveIntegerField(
        default=0, help_text="Pieces reserved from own stock (ships today)."
    )
    from_suppliers = models.PositiveIntegerField(
        default=0, help_text="Pieces taken from supplier offers (ship in their lead time)."
    )
    lead_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Longest supplier lead time of this line."
    )
    quote_line = models.OneToOneField(
        "orders.InquiryLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order_line",
        help_text="The quote line this line was bought from, at its quoted price.",
    )
    is_gift = models.BooleanField(
        default=False,
        help_text="A free gift (points shop, spend threshold, prize): zero price, no VAT.",
    )

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "position"], name="orders_orderline_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_orderline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity=F("from_stock") + F("from_suppliers")),
                name="orders_orderline_supply_covers_quantity",
            ),
            models.CheckConstraint(
                condition=adds_up("net", F("line_total") - F("discount"))
                & adds_up("gross", F("net") + F("vat")),
                name="orders_orderline_amounts_add_up",
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0) & Q(discount__lte=F("line_total")) & Q(vat__gte=0),
                name="orders_orderline_discount_within_total",
            ),
            models.CheckConstraint(
                condition=Q(is_gift=False) | Q(unit_price=0, gross=0, part__isnull=True),
                name="orders_orderline_gift_is_free",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.mpn}"


class OrderLineSupply(models.Model):
    """Pieces of a line taken from one supplier's offer, given back if the order is cancelled."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="supplies")
    offer = models.ForeignKey(
        "catalog.SupplierOffer", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplier = models.ForeignKey("catalog.Supplier", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    lead_days = models.PositiveSmallIntegerField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["line", "lead_days", "pk"]
        verbose_name_plural = "order line supplies"
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_linesupply_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} from supplier {self.supplier_id}"


class OrderEventKind(models.TextChoices):
    PLACED = "placed", _("Placed")
    STATUS = "status", _("Status changed")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    NOTE = "note", _("Note")
    REMINDER = "reminder", _("Payment reminder")


class OrderEvent(models.Model):
    """One entry of an order's timeline: what happened, who did it, when and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=OrderEventKind.choices)
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(
        max_length=20, default="system", help_text="customer, staff or system"
    )
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.get_kind_display()} {self.message}"
