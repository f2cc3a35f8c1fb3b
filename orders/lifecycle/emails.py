"""What a customer is told about an order: placed (with how to pay), paid, the reminder
before an unpaid order is cancelled, cancelled and refunded. Each is one inbox message and
one email (customers.notifications.notify), worded by the kind's templates
(templates/notifications/order_*/, or operations' own in the admin)."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import NotificationKind
from customers.notifications import notify

from ..models import (
    Order,
    OrderEvent,
    OrderEventKind,
    PaymentMethod,
    Refund,
    RefundDestination,
    RefundStatus,
)

CENT = Decimal("0.01")
KINDS = {
    "placed": NotificationKind.ORDER_PLACED,
    "paid": NotificationKind.ORDER_PAID,
    "cancelled": NotificationKind.ORDER_CANCELLED,
    "reminder": NotificationKind.ORDER_UNPAID_REMINDER,
}


def _order_context(order: Order) -> dict:
    lines = [
        {
            "quantity": f"{line.quantity:,}",
            "mpn": line.mpn,
            "manufacturer": line.manufacturer,
            "gross": line.gross,
        }
        for line in order.lines.order_by("position")
    ]
    due = ""
    if order.payment_due_at:
        due = timezone.localtime(order.payment_due_at).strftime("%Y-%m-%d %H:%M")
    return {
        "order": order,
        "lines": lines,
        "outstanding": order.outstanding,
        "pay_by_transfer": order.payment_method == PaymentMethod.BANK_TRANSFER,
        "bank": settings.SHOP_BANK_DETAILS,
        "due": due,
    }


def _cancel_reason(order: Order) -> str:
    event = (
        OrderEvent.objects.filter(order=order, kind=OrderEventKind.STATUS, to_status="cancelled")
        .order_by("-pk")
        .first()
    )
    return event.message if event else ""


def send_order_email(*, order_id: int, kind: str) -> bool:
    """Tell the order's customer that it was placed, paid, cancelled or is waiting for
    payment: once per order and kind, however often this runs."""
    order = Order.objects.select_related("customer").filter(pk=order_id).first()
    if order is None:
        return False
    context = _order_context(order)
    if kind == "cancelled":
        context["reason"] = _cancel_reason(order)
    notification = notify(
        customer=order.customer,
        kind=KINDS[kind],
        dedup_key=f"order-{kind}:{order.reference}",
        context=context,
        link=order.get_absolute_url(),
    )
    return notification is not None


def send_refund_email(*, refund_id: int) -> bool:
    """Tell the customer about one succeeded refund of an order, once per refund. A refund
    staff gave in one go but split over several payments is one message with its total."""
    refund = (
        Refund.objects.select_related("order__customer")
        .filter(pk=refund_id, status=RefundStatus.SUCCEEDED)
        .first()
    )
    if refund is None:
        return False
    order = refund.order
    amount = order.refunds.filter(
        Q(idempotency_key=refund.idempotency_key)
        | Q(idempotency_key__startswith=f"{refund.idempotency_key}:"),
        status=RefundStatus.SUCCEEDED,
    ).aggregate(total=Sum("amount"))["total"]
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)  # SQLite sums as floats
    destination = (
        _("to your account balance")
        if refund.destination == RefundDestination.BALANCE
        else _("to the card or account you paid with")
    )
    context = {
        **_order_context(order),
        "amount": amount,
        "destination": destination,
        "reason": refund.reason,
    }
    notification = notify(
        customer=order.customer,
        kind=NotificationKind.ORDER_REFUNDED,
        dedup_key=f"order-refunded:{order.reference}:{refund.pk}",
        context=context,
        link=order.get_absolute_url(),
    )
    return notification is not None
