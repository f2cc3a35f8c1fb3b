"""Reads of a customer's orders, always scoped to that customer: another customer's order
is not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..checkout.selectors import LineRow
from ..checkout.services import ship_day
from ..models import Order, OrderEvent, OrderLine, OrderLineSupply, Payment, Refund
from ..status import OrderStatus


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    placed_from: date | None = None
    placed_to: date | None = None
    po_number: str = ""
    mpn: str = ""
    q: str = ""


def orders_of(*, customer, filters: OrderFilters | None = None) -> QuerySet[Order]:
    """The customer's orders, newest first, with their line count, in one query."""
    filters = filters or OrderFilters()
    orders = Order.objects.filter(customer=customer)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.placed_from:
        orders = orders.filter(placed_at__date__gte=filters.placed_from)
    if filters.placed_to:
        orders = orders.filter(placed_at__date__lt=filters.placed_to + timedelta(days=1))
    if filters.po_number:
        orders = orders.filter(po_number__icontains=filters.po_number)
    if filters.mpn:
        orders = orders.filter(
            Exists(OrderLine.objects.filter(order=OuterRef("pk"), mpn__icontains=filters.mpn))
        )
    if filters.q:
        term = filters.q
        orders = orders.filter(
            Q(reference__icontains=term)
            | Q(po_number__icontains=term)
            | Exists(OrderLine.objects.filter(order=OuterRef("pk"), mpn__icontains=term))
        )
    return orders.annotate(line_count=Count("lines")).order_by("-placed_at", "-pk")


def order_of(*, customer, reference: str) -> Order:
    """One of the customer's orders with everything its page shows, in a fixed number of
    queries whatever its number of lines; another customer's order is a 404."""
    order = (
        Order.objects.filter(customer=customer, reference=reference)
        .select_related("coupon__definition", "shipping_method")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("part__manufacturer").prefetch_related(
                    Prefetch(
                        "supplies", queryset=OrderLineSupply.objects.order_by("lead_days", "pk")
                    )
                ),
            ),
            Prefetch("payments", queryset=Payment.objects.order_by("created_at", "pk")),
            Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "pk")),
            Prefetch(
                "events",
                queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "pk"),
            ),
        )
        .first()
    )
    if order is None:
        raise Http404("No such order")
    return order


def order_line_ship_date(order: Order, line: OrderLine) -> date:
    """The day a line is ready to ship, by the review's rule (``checkout.services.ship_day``):
    own stock the day the order was placed, or the next one after the cut-off hour; supplier
    stock after the supplier's lead time."""
    first = ship_day(order.placed_at)
    if line.from_suppliers and line.lead_days is not None:
        placed = timezone.localtime(order.placed_at).date()
        return max(first, placed + timedelta(days=line.lead_days))
    return first


def order_rows(order: Order) -> list[LineRow]:
    """The order's copies of its lines, as the page and the PDF show them."""
    return [
        LineRow(
            mpn=line.mpn,
            manufacturer=line.manufacturer,
            packaging=line.packaging_label,
            quantity=line.quantity,
            unit_price=line.unit_price,
            line_total=line.line_total,
            discount=line.discount,
            net=line.net,
            vat=line.vat,
            gross=line.gross,
            ship_date=order_line_ship_date(order, line),
            availability=_line_supply(line),
            url=line.part.get_absolute_url() if line.part is not None else "",
            sku=line.sku,
            description=line.description,
        )
        for line in order.lines.all()
    ]


def _line_supply(line: OrderLine) -> str:
    if line.is_gift:
        return _("Free gift")
    if not line.from_suppliers:
        return _("From our stock")
    if not line.from_stock:
        return _("From suppliers, %(days)s days") % {"days": line.lead_days}
    return _("%(stock)s from our stock, %(suppliers)s from suppliers") % {
        "stock": f"{line.from_stock:,}",
        "suppliers": f"{line.from_suppliers:,}",
    }


def can_cancel(order: Order) -> bool:
    """Whether the customer may cancel the order themselves: while it is unpaid."""
    return order.status == OrderStatus.AWAITING_PAYMENT


def actor_label(event: OrderEvent) -> str:
    if event.actor_label == "customer":
        return _("You")
    if event.actor_label == "staff":
        return _("Partline staff")
    return _("Automatic")
