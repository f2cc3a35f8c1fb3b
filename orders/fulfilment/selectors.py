"""Reads of fulfilment: the printable pick sheet, what is ready to ship, and an order's
timeline as its customer sees it (placed, paid, picking, shipped, delivered)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..account.selectors import order_line_ship_date
from ..models import (
    Order,
    OrderAllocation,
    OrderService,
    PickList,
    PickListLine,
    PurchaseRequestStatus,
    Shipment,
    ShipmentLine,
)
from ..status import OrderStatus
from .services import ready_to_ship, shipped_quantities
from .vas import needs_dry_pack

# --- the warehouse --------------------------------------------------------------------------


@dataclass(frozen=True)
class PickRow:
    bin_location: str
    sku: str
    mpn: str
    manufacturer: str
    packaging: str
    quantity: int
    msl: str
    esd_sensitive: bool
    dry_pack: bool
    services: tuple[str, ...]


@dataclass(frozen=True)
class PickSheet:
    pick_list: PickList
    order: Order
    rows: list[PickRow]
    order_services: list[OrderService]

    @property
    def has_esd(self) -> bool:
        return any(row.esd_sensitive for row in self.rows)

    @property
    def has_dry_pack(self) -> bool:
        return any(row.dry_pack for row in self.rows)


def _service_text(service: OrderService) -> str:
    if service.customer_part_number:
        return f"{service.name}: {service.customer_part_number}"
    return service.name


def pick_sheet(*, pick_list_id: int) -> PickSheet:
    """A pick list as printed for the warehouse: lines in bin order (a walk through the
    aisles), each with its MSL and ESD handling and the service tasks of its line."""
    pick_list = get_object_or_404(
        PickList.objects.select_related("order").prefetch_related(
            Prefetch(
                "lines",
                queryset=PickListLine.objects.select_related("order_line").order_by(
                    "bin_location", "order_line__position", "pk"
                ),
            ),
            Prefetch("services", queryset=OrderService.objects.order_by("line_id", "pk")),
        ),
        pk=pick_list_id,
    )
    by_line: dict[int | None, list[OrderService]] = {}
    for service in pick_list.services.all():
        by_line.setdefault(service.line_id, []).append(service)
    rows = [
        PickRow(
            bin_location=line.bin_location or "—",
            sku=line.order_line.sku,
            mpn=line.order_line.mpn,
            manufacturer=line.order_line.manufacturer,
            packaging=line.order_line.packaging_label,
            quantity=line.quantity,
            msl=line.msl,
            esd_sensitive=line.esd_sensitive,
            dry_pack=needs_dry_pack(line.msl),
            services=tuple(_service_text(s) for s in by_line.get(line.order_line_id, [])),
        )
        for line in pick_list.lines.all()
    ]
    rows.sort(key=lambda row: (row.bin_location == "—", row.bin_location))
    return PickSheet(
        pick_list=pick_list,
        order=pick_list.order,
        rows=rows,
        order_services=by_line.get(None, []),
    )


@dataclass(frozen=True)
class ReadyRow:
    mpn: str
    quantity: int
    shipped: int
    ready: int


def ready_rows(order: Order) -> list[ReadyRow]:
    ready = ready_to_ship(order)
    shipped = shipped_quantities(order)
    return [
        ReadyRow(line.mpn, line.quantity, shipped.get(line.pk, 0), ready.get(line.pk, 0))
        for line in order.lines.order_by("position")
    ]


# --- the customer's order page -------------------------------------------------------------


@dataclass(frozen=True)
class TimelineStep:
    label: str
    done: bool
    at: datetime | None = None
    expected: date | None = None
    detail: str = ""
    link: str = ""


@dataclass
class OrderFulfilment:
    steps: list[TimelineStep] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    attachments: list[OrderService] = field(default_factory=list)
    services: list[OrderService] = field(default_factory=list)
    expected_ship_date: date | None = None


def _expected_ship_date(order: Order, shipped: dict[int, int]) -> date | None:
    """When the pieces not shipped yet are expected to leave: by the checkout's rule
    (``ship_day``), or the supplier's arrival date once they are on order."""
    waiting = [line for line in order.lines.all() if shipped.get(line.pk, 0) < line.quantity]
    if not waiting:
        return None
    dates = [order_line_ship_date(order, line) for line in waiting]
    arrivals = []
    if order.is_paid:
        arrivals = list(
            order.purchase_requests.filter(status=PurchaseRequestStatus.OPEN).values_list(
                "expected_on", flat=True
            )
        )
    expected = max(dates + arrivals)
    return max(expected, timezone.localdate())


def order_fulfilment(order: Order) -> OrderFulfilment:
    """The timeline of the customer's order page, in a fixed number of queries (one for an
    unpaid order: its services)."""
    services = list(order.services.select_related("line").order_by("line__position", "pk"))
    shipments = []
    if order.is_paid:
        shipments = list(
            order.shipments.prefetch_related(
                Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line"))
            ).order_by("shipped_at", "pk")
        )
    shipped: dict[int, int] = {}
    for shipment in shipments:
        for line in shipment.lines.all():
            shipped[line.order_line_id] = shipped.get(line.order_line_id, 0) + line.quantity
    result = OrderFulfilment(
        shipments=shipments,
        services=services,
        attachments=[s for s in services if s.result],
    )
    status = order.status
    if status in (OrderStatus.CANCELLED,) or (status == OrderStatus.REFUNDED and not shipments):
        result.steps = [
            TimelineStep(_("Placed"), True, at=order.placed_at),
            TimelineStep(order.get_status_display(), True, at=order.cancelled_at),
        ]
        return result
    transitions = {
        event.to_status: event.created_at
        for event in order.events.all()
        if event.kind == "status" and event.to_status
    }
    allocation = OrderAllocation.objects.filter(order=order).first() if order.is_paid else None
    if status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PARTLY_SHIPPED):
        result.expected_ship_date = _expected_ship_date(order, shipped)
    steps = [
        TimelineStep(_("Placed"), True, at=order.placed_at),
        TimelineStep(_("Paid"), order.is_paid, at=order.paid_at),
        TimelineStep(
            _("Picking"),
            allocation is not None,
            at=allocation.allocated_at if allocation else None,
            detail=_("In our warehouse") if allocation else "",
        ),
    ]
    if shipments:
        for number, shipment in enumerate(shipments, start=1):
            label = _("Shipped") if len(shipments) == 1 else _("Shipment %(n)d") % {"n": number}
            steps.append(
                TimelineStep(
                    label,
                    True,
                    at=shipment.shipped_at,
                    detail=f"{shipment.get_carrier_display()} {shipment.tracking_number}",
                    link=shipment.tracking_url,
                )
            )
    if not shipments or status == OrderStatus.PARTLY_SHIPPED:
        steps.append(
            TimelineStep(
                _("Rest shipped") if shipments else _("Shipped"),
                False,
                expected=result.expected_ship_date,
            )
        )
    steps.append(
        TimelineStep(
            _("Delivered"),
            OrderStatus.DELIVERED in transitions,
            at=transitions.get(OrderStatus.DELIVERED),
        )
    )
    if OrderStatus.COMPLETED in transitions:
        steps.append(TimelineStep(_("Completed"), True, at=transitions[OrderStatus.COMPLETED]))
    result.steps = steps
    return result


def attachment_of(*, customer, reference: str, service_id: int) -> OrderService:
    """A service result of one of the customer's orders; anyone else's is a 404."""
    service = (
        OrderService.objects.filter(
            pk=service_id, order__reference=reference, order__customer=customer
        )
        .exclude(result="")
        .first()
    )
    if service is None:
        raise Http404("No such attachment")
    return service
