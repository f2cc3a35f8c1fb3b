"""An order after it is placed: status changes, payments adding up, cancelling, expiry.

``order_transition`` is the one way an order's status changes: it locks the order, re-reads
its status, checks ``orders.status.ALLOWED_TRANSITIONS``, saves, appends an ``OrderEvent``
and schedules side effects after commit. ``order_cancel`` releases stock and returns the
coupon, points and paid money in the same transaction; ``order_payment_recorded`` is called
by the payment services when money arrives and marks the order paid once it is covered.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog import services as catalog_services
from customers import behaviour
from customers import services as customer_services
from customers.models import BalanceEntryKind, EventKind
from promotions import draws as draw_services
from promotions import gifts as promotion_gifts
from promotions import services as coupon_services

from ..errors import InvalidTransition, OrderNotCancellable
from ..locks import order_for_update
from ..models import (
    Order,
    OrderEvent,
    OrderEventKind,
    OrderLineSupply,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundDestination,
    RefundStatus,
)
from ..status import OrderStatus, can_transition
from .points import order_points

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")


def _actor_label(actor, default: str = "system") -> str:
    if actor is None:
        return default
    return "staff" if getattr(actor, "is_staff", False) else "customer"


def order_event_add(
    *, order: Order, kind: str, message: str = "", actor=None, from_status="", to_status=""
) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        kind=kind,
        message=message[:500],
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        from_status=from_status,
        to_status=to_status,
    )


def _notify(task_name: str, order_id: int) -> None:
    """Queue a customer email after commit; a broker outage never fails the order."""
    from . import tasks

    getattr(tasks, task_name).delay_on_commit(order_id=order_id)


def order_transition(*, order_id: int, to: str, actor=None, reason: str = "") -> Order:
    """Move an order to ``to`` if the status machine allows it from its current status."""
    with transaction.atomic():
        order = order_for_update(order_id)
        _transition_locked(order, to, actor=actor, reason=reason)
    return order


def _transition_locked(order: Order, to: str, *, actor=None, reason: str = "") -> None:
    current = order.status
    if not can_transition(current, to):
        raise InvalidTransition(
            f"Order {order.reference} is {OrderStatus(current).label.lower()}; "
            f"it cannot become {OrderStatus(to).label.lower()}."
        )
    now = timezone.now()
    order.status = to
    fields = ["status", "updated_at"]
    if to == OrderStatus.PAID:
        order.paid_at = now
        fields.append("paid_at")
    elif to == OrderStatus.CANCELLED:
        order.cancelled_at = now
        fields.append("cancelled_at")
    order.save(update_fields=fields)
    order_event_add(
        order=order,
        kind=OrderEventKind.STATUS,
        message=reason,
        actor=actor,
        from_status=current,
        to_status=to,
    )
    if to == OrderStatus.PAID:
        customer_services.points_earn_for_order(
            user=order.customer,
            order_reference=order.reference,
            amount_paid=order.total - order.points_amount,
            points=order_points(order),
        )
        draw_services.draws_earn_for_order(
            customer=order.customer,
            order_reference=order.reference,
            amount_paid=order.total - order.points_amount,
            paid_at=now,
        )
        _notify("order_paid_email", order.pk)
        behaviour.event_record_on_commit(
            kind=EventKind.ORDER_PAID,
            customer_id=order.customer_id,
            order_id=order.pk,
            amount=order.total,
        )
        from ..fulfilment import tasks as fulfilment_tasks

        fulfilment_tasks.order_allocate.delay_on_commit(order_id=order.pk)
    elif to == OrderStatus.CANCELLED:
        _notify("order_cancelled_email", order.pk)
    if to in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        draw_services.draws_withdraw_for_order(
            customer=order.customer, order_reference=order.reference
        )


# --- payments adding up -------------------------------------------------------------------


def order_payment_recorded(*, order: Order, payment: Payment, actor=None) -> Decimal:
    """Count a succeeded payment towards a locked order; mark the order paid once payments
    and points cover its total. Returns the over-payment (0 when none), which the caller
    credits to the customer's balance."""
    covered = order.total - order.points_amount
    before = order.amount_paid
    order.amount_paid = before + payment.amount
    order.save(update_fields=["amount_paid", "updated_at"])
    order_event_add(
        order=order,
        kind=OrderEventKind.PAYMENT,
        actor=actor,
        message=f"{payment.get_method_display()}: {payment.amount} {payment.currency} received",
    )
    overpaid = max(order.amount_paid - covered, ZERO)
    if order.status == OrderStatus.AWAITING_PAYMENT and order.amount_paid >= covered:
        _transition_locked(order, OrderStatus.PAID, actor=actor, reason="Paid in full")
    return overpaid


def order_payment_recorded_without_money(*, order: Order, actor=None) -> None:
    """An order its points pay in full is paid as soon as it is placed."""
    if order.status == OrderStatus.AWAITING_PAYMENT and order.points_amount >= order.total:
        _transition_locked(order, OrderStatus.PAID, actor=actor, reason="Paid with points")


def notify_order_placed(order_id: int) -> None:
    _notify("order_placed_email", order_id)


def notify_refunded(refund_id: int) -> None:
    """Tell the customer about a succeeded refund once it is committed."""
    from . import tasks

    tasks.order_refunded_email.delay_on_commit(refund_id=refund_id)


# --- cancelling -------------------------------------------------------------------------------


def _release_stock(order: Order) -> None:
    from_stock: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        if line.part_id and line.from_stock:
            from_stock[line.part_id] += line.from_stock
    supplies = OrderLineSupply.objects.filter(line__order=order, released_at__isnull=True)
    by_offer: dict[int, int] = defaultdict(int)
    for supply in supplies:
        if supply.offer_id:
            by_offer[supply.offer_id] += supply.quantity
    catalog_services.stock_release(from_stock=from_stock, supplies=by_offer)
    supplies.update(released_at=timezone.now())


def _refund_payments(order: Order, *, refund_to: str, actor=None, reason: str) -> None:
    """Give back every succeeded payment: balance payments to the balance; transfers to
    the balance; online payments to the balance or, when asked, to the original method
    (sent to the gateway after commit: no network call under these locks)."""
    payments = order.payments.filter(status=PaymentStatus.SUCCEEDED).order_by("pk")
    for payment in payments:
        refunded = sum(
            (r.amount for r in payment.refunds.exclude(status=RefundStatus.FAILED)), ZERO
        )
        amount = payment.amount - refunded
        if amount <= 0:
            continue
        to_original = (
            refund_to == RefundDestination.ORIGINAL and payment.method == PaymentMethod.GATEWAY
        )
        refund = Refund.objects.create(
            order=order,
            payment=payment,
            amount=amount,
            destination=RefundDestination.ORIGINAL if to_original else RefundDestination.BALANCE,
            reason=reason[:255],
            idempotency_key=f"cancel:{payment.pk}",
            created_by=actor if getattr(actor, "is_staff", False) else None,
        )
        if to_original:
            from ..payments import tasks as payment_tasks

            payment_tasks.refund_send.delay_on_commit(refund_id=refund.pk)
            continue
        customer_services.balance_credit(
            user=order.customer,
            amount=amount,
            kind=BalanceEntryKind.REFUND,
            idempotency_key=f"order:{order.reference}:refund:{refund.pk}",
            reference_type="order",
            reference_id=order.reference,
            note=f"Refund of {order.reference}",
        )
        refund.status = RefundStatus.SUCCEEDED
        refund.succeeded_at = timezone.now()
        refund.save(update_fields=["status", "succeeded_at"])
        order_event_add(
            order=order,
            kind=OrderEventKind.REFUND,
            actor=actor,
            message=f"{amount} {order.currency} refunded to the account balance",
        )


def order_cancel(
    *,
    order_id: int,
    actor=None,
    reason: str = "",
    by_staff: bool = False,
    refund_to: str = RefundDestination.BALANCE,
) -> Order:
    """Cancel an order before it ships: release its stock, give back its coupon and points,
    refund what was paid, all in one transaction. A customer may cancel while the order is
    unpaid; staff (and the automatic expiry, ``by_staff``) until it ships. Cancelling an
    order already cancelled returns it unchanged: a double click cancels once."""
    with transaction.atomic():
        order = order_for_update(order_id)
        if order.status == OrderStatus.CANCELLED:
            return order
        if not can_transition(order.status, OrderStatus.CANCELLED) or (
            not by_staff and order.status != OrderStatus.AWAITING_PAYMENT
        ):
            if order.status == OrderStatus.PAID:
                raise OrderNotCancellable(
                    f"Order {order.reference} is paid; ask us to cancel it and we refund "
                    "what you paid."
                )
            raise OrderNotCancellable(
                f"Order {order.reference} is {order.get_status_display().lower()} and can no "
                "longer be cancelled."
            )
        was_paid = order.paid_at is not None
        reason = (reason or "").strip() or "Cancelled"
        _release_stock(order)
        if order.coupon_id:
            coupon_services.coupon_release(
                coupon_id=order.coupon_id, order_reference=order.reference
            )
        promotion_gifts.gifts_order_cancelled(
            customer=order.customer, order_reference=order.reference
        )
        if order.points_used:
            customer_services.points_return(
                user=order.customer,
                idempotency_key=f"order:{order.reference}",
                reference=order.reference,
            )
        if was_paid:
            customer_services.points_reverse_for_order(
                user=order.customer, order_reference=order.reference
            )
        _refund_payments(order, refund_to=refund_to, actor=actor, reason=reason)
        _transition_locked(order, OrderStatus.CANCELLED, actor=actor, reason=reason)
    return order


# --- unpaid orders: reminder and automatic cancel ---------------------------------------------


def payment_window(method: str) -> timedelta:
    hours = (
        settings.ORDERS_BANK_TRANSFER_PAYMENT_HOURS
        if method == PaymentMethod.BANK_TRANSFER
        else settings.ORDERS_ONLINE_PAYMENT_HOURS
    )
    return timedelta(hours=hours)


def orders_cancel_overdue(*, now: datetime | None = None) -> int:
    """Cancel unpaid orders past their payment deadline. Safe to run twice, or in two
    workers at once: each order is cancelled under its own lock, once."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=OrderStatus.AWAITING_PAYMENT, payment_due_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    cancelled = 0
    for order_id in due:
        with transaction.atomic():
            # Re-read under the lock: paid meanwhile, or cancelled by another worker, it stays.
            order = order_for_update(order_id)
            if order.status != OrderStatus.AWAITING_PAYMENT or order.payment_due_at > now:
                continue
            try:
                order_cancel(
                    order_id=order_id,
                    reason="Not paid in time: cancelled automatically",
                    by_staff=True,
                )
            except OrderNotCancellable:
                continue
        cancelled += 1
    return cancelled


def orders_remind_unpaid(*, now: datetime | None = None) -> int:
    """Email once to each unpaid order whose deadline is near (ORDERS_PAYMENT_REMINDER_HOURS
    before it). The reminder is claimed by a conditional UPDATE, so it goes out once."""
    now = now or timezone.now()
    soon = now + timedelta(hours=settings.ORDERS_PAYMENT_REMINDER_HOURS)
    candidates = list(
        Order.objects.filter(
            status=OrderStatus.AWAITING_PAYMENT,
            payment_due_at__lte=soon,
            payment_due_at__gt=now,
            reminder_sent_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    sent = 0
    for order_id in candidates:
        with transaction.atomic():
            claimed = Order.objects.filter(pk=order_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            order = Order.objects.get(pk=order_id)
            order_event_add(
                order=order,
                kind=OrderEventKind.REMINDER,
                message="Payment reminder sent",
            )
            _notify("order_payment_reminder_email", order_id)
            sent += 1
    return sent
