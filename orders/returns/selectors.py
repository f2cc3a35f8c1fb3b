"""Reads of returns shaped for the account pages, the admin and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import SupplierOffer

from ..models import (
    Order,
    OrderEvent,
    OrderEventKind,
    OrderLine,
    OrderLineSupply,
    ReturnEvent,
    ReturnKind,
    ReturnRequest,
)
from ..status import RETURNABLE_STATES, OrderStatus
from .status import COUNTING_STATES, OPEN_STATES, ReturnStatus


def delivered_at(order: Order):
    """When the order was delivered, from its timeline (completed without a delivery
    event: when it was completed)."""
    for status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        moment = (
            OrderEvent.objects.filter(order=order, kind=OrderEventKind.STATUS, to_status=status)
            .order_by("created_at", "pk")
            .values_list("created_at", flat=True)
            .first()
        )
        if moment is not None:
            return moment
    return None


def return_deadline(order):
    delivered = delivered_at(order)
    if delivered is None:
        return None
    return delivered + timedelta(days=settings.RETURNS_WINDOW_DAYS)


@dataclass(frozen=True)
class LineAllowance:
    delivered: int
    non_returnable: int
    under_return: int

    def most(self, kind: str) -> int:
        left = self.delivered - self.under_return
        if kind == ReturnKind.RETURN:
            left -= self.non_returnable
        return max(left, 0)


def line_allowance(line: OrderLine) -> LineAllowance:
    return LineAllowance(
        delivered=line.quantity,
        non_returnable=non_returnable_pieces(line),
        under_return=pieces_under_return(line),
    )



def _sum(queryset, field: str) -> int:
    return int(queryset.aggregate(s=Sum(field))["s"] or 0)


def non_returnable_pieces(line: OrderLine) -> int:
    """Pieces of the line taken from supplier offers marked non-returnable."""
    return _sum(
        OrderLineSupply.objects.filter(line=line, offer__returnable=False), "quantity"
    )


def pieces_under_return(line: OrderLine) -> int:
    return _sum(
        ReturnRequest.objects.filter(line=line, status__in=COUNTING_STATES), "quantity"
    )


def pieces_refunded(line: OrderLine, *, exclude: int | None = None) -> int:
    returns = ReturnRequest.objects.filter(line=line, status=ReturnStatus.REFUNDED)
    if exclude is not None:
        returns = returns.exclude(pk=exclude)
    return _sum(returns, "quantity")


def returns_of(*, customer):
    return (
        ReturnRequest.objects.filter(customer=customer)
        .select_related("order", "line")
        .order_by("-created_at", "-pk")
    )


def return_of(*, customer, reference: str) -> ReturnRequest:
    """The customer's return with its timeline and photos; another's raises DoesNotExist."""
    return (
        ReturnRequest.objects.select_related("order", "line", "replacement_order")
        .prefetch_related(
            "photos",
            Prefetch("events", queryset=ReturnEvent.objects.order_by("created_at", "pk")),
        )
        .get(customer=customer, reference=(reference or "").strip().upper())
    )


def customer_line(*, customer, reference: str, line_id: int) -> OrderLine:
    return OrderLine.objects.select_related("order").get(
        pk=line_id, order__customer=customer, order__reference=(reference or "").upper()
    )


def can_write(request: ReturnRequest) -> bool:
    return request.status in OPEN_STATES


def _pieces_by_line(returns) -> dict[int, int]:
    return {
        row["line_id"]: int(row["total"] or 0)
        for row in returns.values("line_id").annotate(total=Sum("quantity")).order_by()
    }


def returnable_line_ids(order: Order) -> set[int]:
    """Lines of a delivered order on which a return or complaint can still be opened, in a
    constant number of queries however many lines the order has."""
    if order.status not in RETURNABLE_STATES:
        return set()
    deadline = return_deadline(order)
    if deadline is None or timezone.now() > deadline:
        return set()
    lines = list(order.lines.all())
    under = _pieces_by_line(
        ReturnRequest.objects.filter(order=order, status__in=COUNTING_STATES)
    )
    return {line.pk for line in lines if line.quantity - under.get(line.pk, 0) > 0}


def order_has_returns(order: Order) -> bool:
    """Whether the order page should list returns (none can exist before delivery)."""
    return order.status in RETURNABLE_STATES or order.status == OrderStatus.REFUNDED


def actor_label(event: ReturnEvent) -> str:
    if event.actor_label == "customer":
        return _("You")
    if event.actor_label == "staff":
        return _("Partline staff")
    return _("Automatic")


def non_returnable_mpns(part_ids: list[int]) -> list[str]:
    """MPNs of these parts with supplier stock marked non-returnable."""
    if not part_ids:
        return []
    return sorted(
        set(
            SupplierOffer.objects.filter(part_id__in=part_ids, returnable=False, quantity__gt=0)
            .values_list("part__mpn", flat=True)
        )
    )
