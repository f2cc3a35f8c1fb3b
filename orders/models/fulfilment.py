"""Fulfilment: what happens to a paid order in the warehouse until the customer has it.

A paid order is allocated once (``OrderAllocation``): its own-stock lines go onto a
``PickList`` for the warehouse, its supplier-stock lines become one ``PurchaseRequest`` per
supplier with the date the goods are expected. When a purchase request's goods arrive, staff
receive them into stock and they join a new pick list. Picked lines leave in one or more
``Shipment`` rows (carrier, tracking number), then are delivered.

Value-added services (``ValueAddedService``, fees kept by staff) are chosen at checkout per
line or per order and copied onto the order as ``OrderService`` rows; each becomes a task on
the pick list, and its result file (a test report) is attached for the customer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .order import MONEY, ZERO, Order, OrderLine, OrderLineSupply


class Carrier(models.TextChoices):
    SF_EXPRESS = "sf", _("SF Express")
    JD = "jd", _("JD Logistics")
    ZTO = "zto", _("ZTO Express")
    YTO = "yto", _("YTO Express")
    EMS = "ems", _("China Post EMS")
    DHL = "dhl", _("DHL Express")
    FEDEX = "fedex", _("FedEx")
    UPS = "ups", _("UPS")


class OrderAllocation(models.Model):
    """An order was allocated: written once, under the order's lock, by the first run."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="allocation")
    allocated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"allocation of {self.order_id}"


class PickListStatus(models.TextChoices):
    OPEN = "open", _("To pick")
    PICKED = "picked", _("Picked")


class PickList(models.Model):
    """Lines the warehouse picks for one order: its own stock at allocation (``key``
    "stock"), or the goods of one purchase request once received ("receipt:<id>")."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="pick_lists")
    key = models.CharField(max_length=40, editable=False)
    status = models.CharField(
        max_length=10, choices=PickListStatus.choices, default=PickListStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    picked_at = models.DateTimeField(null=True, blank=True, editable=False)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "key"], name="orders_picklist_unique_key"),
        ]

    def __str__(self) -> str:
        return f"PL-{self.pk}"


class PickListLine(models.Model):
    """Pieces of one order line to pick, with where they are and how to handle them."""

    pick_list = models.ForeignKey(PickList, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    bin_location = models.CharField(max_length=40, blank=True)
    msl = models.CharField("MSL", max_length=20, blank=True)
    esd_sensitive = models.BooleanField("ESD-sensitive", default=False)

    class Meta:
        ordering = ["pick_list", "bin_location", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_picklistline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id} at {self.bin_location or '?'}"


class PurchaseRequestStatus(models.TextChoices):
    OPEN = "open", _("Awaiting goods")
    RECEIVED = "received", _("Received")


class PurchaseRequest(models.Model):
    """What one supplier sends us for one order, and when it is expected."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="purchase_requests")
    supplier = models.ForeignKey("catalog.Supplier", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10,
        choices=PurchaseRequestStatus.choices,
        default=PurchaseRequestStatus.OPEN,
        editable=False,
    )
    expected_on = models.DateField(help_text="When the supplier's goods are expected here.")
    created_at = models.DateTimeField(auto_now_add=True)
    received_at = models.DateTimeField(null=True, blank=True, editable=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["expected_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "supplier"], name="orders_purchaserequest_unique_supplier"
            ),
        ]

    def __str__(self) -> str:
        return f"PR-{self.pk}"


class PurchaseRequestLine(models.Model):
    request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="+")
    supply = models.ForeignKey(OrderLineSupply, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["supply"], name="orders_purchaseline_unique_supply"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_purchaseline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id}"


class Shipment(models.Model):
    """One parcel of an order: its carrier and tracking number, when it left and arrived."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    carrier = models.CharField(max_length=10, choices=Carrier.choices)
    tracking_number = models.CharField(max_length=40)
    shipped_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["shipped_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "carrier", "tracking_number"],
                name="orders_shipment_unique_tracking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} {self.tracking_number}"

    @property
    def tracking_url(self) -> str:
        from ..fulfilment.carriers import tracking_url

        return tracking_url(self.carrier, self.tracking_number)


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["shipment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_shipmentline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id}"


class ServiceKind(models.TextChoices):
    INSPECTION_REPORT = "inspection_report", _("Incoming inspection test report")
    CUSTOM_LABEL = "custom_label", _("Custom labels with your part number")
    MOISTURE_REPACK = "moisture_repack", _("Moisture-barrier repacking (MSL 3 and up)")
    REEL_SPLIT = "reel_split", _("Split a reel")


class ServiceScope(models.TextChoices):
    LINE = "line", _("Per line")
    ORDER = "order", _("Per order")


class ValueAddedService(models.Model):
    """A service the warehouse performs on an order or a line, with its fee (excl. VAT)."""

    kind = models.CharField(max_length=20, choices=ServiceKind.choices, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    scope = models.CharField(max_length=5, choices=ServiceScope.choices, default=ServiceScope.LINE)
    fee = models.DecimalField(help_text="Fee excl. VAT, per line or per order.", **MONEY)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="orders_vas_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_msl3(self) -> bool:
        return self.kind == ServiceKind.MOISTURE_REPACK


class OrderService(models.Model):
    """A value-added service chosen for an order (or one of its lines), as sold: name and
    fee are copies. Staff do it from the pick list and attach its result for the customer."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="services")
    line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.CASCADE, related_name="services"
    )
    service = models.ForeignKey(
        ValueAddedService, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ServiceKind.choices, editable=False)
    name = models.CharField(max_length=120, editable=False)
    fee = models.DecimalField(editable=False, help_text="Excl. VAT.", **MONEY)
    vat = models.DecimalField(default=ZERO, editable=False, **MONEY)
    customer_part_number = models.CharField(
        max_length=64, blank=True, help_text="Printed on custom labels."
    )
    pick_list = models.ForeignKey(
        PickList, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    result = models.FileField(
        upload_to="order-attachments/%Y/%m/",
        blank=True,
        help_text="The service's result for the customer, e.g. the test report PDF.",
    )
    result_name = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["order", "line", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "line", "kind"], name="orders_orderservice_unique_per_line"
            ),
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=Q(line__isnull=True),
                name="orders_orderservice_unique_per_order",
            ),
            models.CheckConstraint(
                condition=Q(fee__gte=0) & Q(vat__gte=0), name="orders_orderservice_fee_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
