"""What the order's admin page shows of fulfilment: its pick lists, purchase requests and
shipments, and the links to ship it and mark it delivered."""

from django.urls import reverse
from django.utils.html import format_html

from ..admin.rfq import ReadOnlyInline
from ..models import Order, PickList, PurchaseRequest, Shipment
from ..status import OrderStatus


class PickListInline(ReadOnlyInline):
    model = PickList
    fields = ["link", "key", "status", "created_at", "picked_at"]
    readonly_fields = fields

    def link(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">print</a>',
            reverse("admin:orders_picklist_change", args=[obj.pk]),
            obj,
            reverse("admin:orders_picklist_print", args=[obj.pk]),
        )

    link.short_description = "pick list"


class PurchaseRequestInline(ReadOnlyInline):
    model = PurchaseRequest
    fields = ["link", "supplier", "status", "expected_on", "received_at"]
    readonly_fields = fields

    def link(self, obj):
        url = reverse("admin:orders_purchaserequest_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj)

    link.short_description = "purchase request"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supplier")


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ["carrier", "tracking_number", "tracking", "shipped_at", "delivered_at"]
    readonly_fields = fields

    def tracking(self, obj):
        url = obj.tracking_url
        return format_html('<a href="{}" rel="noopener">{}</a>', url, "Track") if url else "—"


def fulfilment_actions(order: Order) -> list[tuple[str, str]]:
    links = []
    if order.status in (OrderStatus.PAID, OrderStatus.PARTLY_SHIPPED):
        links.append((reverse("admin:orders_shipment_ship", args=[order.pk]), "Ship…"))
    if order.status in (OrderStatus.SHIPPED, OrderStatus.PARTLY_SHIPPED):
        url = reverse("admin:orders_shipment_deliver", args=[order.pk])
        links.append((url, "Mark delivered…"))
    return links
