"""Reads of the ordering API, always scoped to the calling customer."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from ..cart.services import CartOwner
from ..models import (
    CartLine,
    Order,
    OrderEvent,
    OrderLine,
    OrderService,
    Payment,
    Refund,
    Shipment,
    ShipmentLine,
)


def customer_orders(*, customer) -> QuerySet[Order]:
    return Order.objects.filter(customer=customer).order_by("-placed_at", "-pk")


def orders_with_mpn(orders: QuerySet[Order], mpn: str) -> QuerySet[Order]:
    """Orders with a line of this MPN (any case), each order once."""
    lines = OrderLine.objects.filter(order=OuterRef("pk"), mpn__iexact=mpn.strip())
    return orders.filter(Exists(lines))


def customer_order(*, customer, reference: str) -> Order | None:
    """One of the customer's orders with its lines, payments, refunds and timeline; another
    customer's reference is None, as an unknown one."""
    return (
        Order.objects.filter(customer=customer, reference=reference)
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("position")),
            Prefetch("payments", queryset=Payment.objects.order_by("created_at", "pk")),
            Prefetch(
                "refunds",
                queryset=Refund.objects.select_related("order").order_by("created_at", "pk"),
            ),
            Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "pk")),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("shipped_at", "pk").prefetch_related(
                    Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line"))
                ),
            ),
            Prefetch("services", queryset=OrderService.objects.select_related("line")),
        )
        .first()
    )


def order_with_key_exists(*, customer, idempotency_key: str) -> bool:
    return Order.objects.filter(customer=customer, idempotency_key=idempotency_key).exists()


def cart_line_is_theirs(*, customer, line_id: int) -> bool:
    owner = CartOwner(customer=customer)
    return CartLine.objects.filter(cart__in=owner.carts(), pk=line_id).exists()
