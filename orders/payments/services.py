"""Paying orders, and giving money back.

Each public function is one use-case that owns its transaction: it locks the order
(``orders.locks.order_for_update``), re-reads its status under the lock, writes one
``Payment`` or ``Refund`` row, moves the balance through ``customers.services`` and lets
``orders.lifecycle.services.order_payment_recorded`` mark the order paid once succeeded
payments cover its total less points. Money that arrives beyond what is due, or for an
order already cancelled, goes to the customer's balance with a ledger entry and a
succeeded balance ``Refund``, so "paid less refunded" is always what could still be refunded.

No provider is called while a lock is held: an online payment is committed as pending
before the gateway is asked for its page, and refunds to the gateway are sent by a task
after the refund row is committed.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from customers import services as customer_services
from customers.errors import InsufficientBalance
from customers.models import BalanceEntryKind

from ..errors import PaymentError
from ..lifecycle import services as lifecycle
from ..locks import order_for_update
from ..models import (
    GatewayNotification,
    Order,
    OrderEventKind,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundDestination,
    RefundStatus,
)
from ..references import REFERENCE_ALPHABET, new_reference
from ..status import OrderStatus
from .providers import InvalidNotification, ProviderError, get_provider
from .providers.base import NotificationStatus

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")
MAX_KEY = 100
ORDER_PREFIX = "SO-"
CLOSED_STATES = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})


@dataclass(frozen=True)
class PaymentOutcome:
    """What a received payment did: the row, the order after it, and what went to the
    customer's balance because it was more than was due (or the order was cancelled)."""

    payment: Payment
    order: Order
    credited: Decimal
    message: str


# --- input ------------------------------------------------------------------------------------


def parse_amount(value) -> Decimal:
    """An amount typed by staff or a customer, or ``PaymentError`` saying what is wrong."""
    text = str(value if value is not None else "").strip().replace(" ", "")
    try:
        amount = Decimal(text)
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise PaymentError(
            "Enter the amount as a number, e.g. 120.50.", code="invalid_amount"
        ) from None
    if amount <= 0:
        raise PaymentError("The amount must be greater than zero.", code="invalid_amount")
    if amount >= MAX_AMOUNT:
        raise PaymentError("This amount is too large to be a payment.", code="invalid_amount")
    if amount != amount.quantize(CENT):
        raise PaymentError("Amounts have at most 2 decimal places.", code="invalid_amount")
    return amount.quantize(CENT)


def normalize_order_reference(text: str) -> str:
    """``so 7kq2m9x``, ``SO7KQ2M9X`` and ``SO-7KQ2M9X`` name the same order."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if cleaned.startswith("SO"):
        cleaned = cleaned[2:]
    if not cleaned or any(ch not in REFERENCE_ALPHABET for ch in cleaned):
        return ""
    return ORDER_PREFIX + cleaned


def _check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise PaymentError(
            "This payment form has expired: reload the page and try again.", code="bad_key"
        )
    return key


def _customer_order_for_update(order_id: int, customer) -> Order:
    """The customer's own order, locked; another customer's order does not exist."""
    order = order_for_update(order_id)
    if order.customer_id != getattr(customer, "pk", None):
        raise Order.DoesNotExist(f"Order {order_id} is not this customer's.")
    return order


def _status_label(order: Order) -> str:
    return OrderStatus(order.status).label.lower()


# --- amounts under the lock -------------------------------------------------------------------


def _money(total) -> Decimal:
    """A sum from the database as money (SQLite sums decimals as floats)."""
    return Decimal(str(total or 0)).quantize(CENT)


def paid_total(order: Order) -> Decimal:
    total = order.payments.filter(status=PaymentStatus.SUCCEEDED).aggregate(s=Sum("amount"))["s"]
    return _money(total)


def refunded_total(order: Order, *, succeeded_only: bool = False) -> Decimal:
    refunds = order.refunds.exclude(status=RefundStatus.FAILED)
    if succeeded_only:
        refunds = refunds.filter(status=RefundStatus.SUCCEEDED)
    return _money(refunds.aggregate(s=Sum("amount"))["s"])


def refundable(order: Order) -> Decimal:
    """What can still be refunded: succeeded payments less refunds not failed."""
    return max(paid_total(order) - refunded_total(order), ZERO)


def _credit_to_balance(order: Order, payment: Payment, amount: Decimal, *, actor, why: str):
    """Put money received for ``order`` on the customer's balance, with a ledger entry and a
    succeeded balance refund (so it is never refunded twice)."""
    now = timezone.now()
    Refund.objects.create(
        order=order,
        payment=payment,
        amount=amount,
        destination=RefundDestination.BALANCE,
        status=RefundStatus.SUCCEEDED,
        reason=why[:255],
        idempotency_key=f"credit:{payment.pk}",
        created_by=actor if getattr(actor, "is_staff", False) else None,
        succeeded_at=now,
    )
    customer_services.balance_credit(
        user=order.customer,
        amount=amount,
        kind=BalanceEntryKind.REFUND,
        idempotency_key=f"order:{order.reference}:credit:{payment.pk}",
        reference_type="order",
        reference_id=order.reference,
        note=why[:255],
    )
    lifecycle.order_event_add(
        order=order,
        kind=OrderEventKind.REFUND,
        actor=actor,
        message=f"{amount} {order.currency} credited to the account balance: {why}",
    )


def _apply_received(order: Order, payment: Payment, *, actor) -> PaymentOutcome:
    """Count a succeeded payment on the locked order; credit what is beyond the amount due,
    or all of it when the order is cancelled or refunded."""
    amount, currency, ref = payment.amount, order.currency, order.reference
    method = payment.get_method_display()
    if order.status in CLOSED_STATES:
        status = _status_label(order)
        order.amount_paid += amount
        order.save(update_fields=["amount_paid", "updated_at"])
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.PAYMENT,
            actor=actor,
            message=f"{method}: {amount} {currency} received after the order was {status}",
        )
        _credit_to_balance(
            order, payment, amount, actor=actor, why=f"{method} for {status} order {ref}"
        )
        message = (
            f"{ref} is {status}: the {amount} {currency} received were credited to the "
            "customer's balance in full."
        )
        return PaymentOutcome(payment=payment, order=order, credited=amount, message=message)
    overpaid = lifecycle.order_payment_recorded(order=order, payment=payment, actor=actor)
    if overpaid > 0:
        _credit_to_balance(order, payment, overpaid, actor=actor, why=f"overpayment of {ref}")
        message = (
            f"{amount} {currency} recorded on {ref}; {overpaid} {currency} over the amount due "
            "were credited to the customer's balance."
        )
    elif order.status == OrderStatus.AWAITING_PAYMENT:
        message = (
            f"{amount} {currency} recorded on {ref}; {order.outstanding} {currency} still due."
        )
    else:
        message = f"{amount} {currency} recorded on {ref}: the order is paid."
    return PaymentOutcome(payment=payment, order=order, credited=overpaid, message=message)


# --- from the balance ---------------------------------------------------------------------------


def payment_pay_from_balance(
    *, order_id: int, customer, idempotency_key: str, amount=None
) -> Payment:
    """Pay what is still due on an awaiting-payment order (or ``amount`` of it) from the
    customer's balance. The same key returns the first payment: a double click pays once.
    Two orders paid from one balance at once never take it below zero (the balance row is
    locked in ``customers.services.balance_debit``)."""
    key = _check_key(idempotency_key)
    wanted = None if amount in (None, "") else parse_amount(amount)
    with transaction.atomic():
        order = _customer_order_for_update(order_id, customer)
        existing = order.payments.filter(idempotency_key=f"balance-pay:{key}").first()
        if existing is not None:
            return existing
        if order.status != OrderStatus.AWAITING_PAYMENT or order.outstanding <= 0:
            raise PaymentError(
                f"Order {order.reference} is {_status_label(order)}: nothing is left to pay.",
                code="nothing_due",
            )
        due = order.outstanding
        amount = due if wanted is None else wanted
        if amount > due:
            raise PaymentError(
                f"Only {due} {order.currency} is still due on {order.reference}: pay at most that.",
                code="more_than_due",
            )
        try:
            entry = customer_services.balance_debit(
                user=order.customer,
                amount=amount,
                idempotency_key=f"order:{order.reference}:balance:{key}",
                kind=BalanceEntryKind.PAYMENT,
                reference_type="order",
                reference_id=order.reference,
                note=f"Payment of order {order.reference}",
            )
        except InsufficientBalance as short:
            raise PaymentError(
                f"Your balance is {short.available} {order.currency}, less than {amount} "
                f"{order.currency}: pay part of it from the balance and the rest by bank "
                "transfer or online.",
                code="insufficient_balance",
            ) from short
        payment = Payment.objects.create(
            order=order,
            method=PaymentMethod.BALANCE,
            amount=amount,
            currency=order.currency,
            status=PaymentStatus.SUCCEEDED,
            provider_reference=f"balance-entry-{entry.pk}",
            idempotency_key=f"balance-pay:{key}",
            succeeded_at=timezone.now(),
        )
        _apply_received(order, payment, actor=customer)
    return payment


# --- bank transfer ------------------------------------------------------------------------------


def payment_record_bank_transfer(
    *, reference: str, amount, staff, bank_reference: str = "", note: str = ""
) -> PaymentOutcome:
    """Staff confirm a transfer that arrived, matched by the order reference the customer
    quoted (typed loosely). A partial transfer leaves the rest due; what is beyond the
    amount due, or everything received for a cancelled order, goes to the balance. The
    same bank reference twice records one payment."""
    ref = normalize_order_reference(reference)
    if not ref:
        raise PaymentError(
            f"{(reference or '').strip()[:40]!r} is not an order reference such as SO-7KQ2M9X.",
            code="unknown_reference",
        )
    amount = parse_amount(amount)
    bank_reference = (bank_reference or "").strip()[:100]
    note = (note or "").strip()[:255]
    order_id = Order.objects.filter(reference=ref).values_list("pk", flat=True).first()
    if order_id is None:
        raise PaymentError(f"No order has the reference {ref}.", code="unknown_reference")
    with transaction.atomic():
        order = order_for_update(order_id)
        if bank_reference:
            recorded = (
                Payment.objects.filter(
                    method=PaymentMethod.BANK_TRANSFER, provider_reference=bank_reference
                )
                .select_related("order")
                .first()
            )
            if recorded is not None:
                if recorded.order_id == order.pk and recorded.amount == amount:
                    return PaymentOutcome(
                        payment=recorded,
                        order=order,
                        credited=ZERO,
                        message=f"The transfer {bank_reference} was already recorded on {ref}: "
                        "nothing changed.",
                    )
                raise PaymentError(
                    f"The bank reference {bank_reference} was already recorded: "
                    f"{recorded.amount} {recorded.currency} on {recorded.order.reference}.",
                    code="duplicate_transfer",
                )
        payment = Payment.objects.create(
            order=order,
            method=PaymentMethod.BANK_TRANSFER,
            amount=amount,
            currency=order.currency,
            status=PaymentStatus.SUCCEEDED,
            provider_reference=bank_reference,
            idempotency_key=f"bank:{bank_reference}" if bank_reference else None,
            recorded_by=staff,
            note=note,
            succeeded_at=timezone.now(),
        )
        return _apply_received(order, payment, actor=staff)


# --- online ---------------------------------------------------------------------------------------


def payment_start_online(
    *, order_id: int, customer, idempotency_key: str, provider_name: str | None = None
) -> tuple[Payment, str]:
    """Open an online payment of what is still due; return it and the URL of the gateway's
    page. The payment is committed as pending before the gateway is called; only the
    gateway's notification marks it succeeded."""
    provider = get_provider(provider_name or settings.ORDERS_GATEWAY_PROVIDER or "")
    if provider is None:
        raise PaymentError(
            "Online payment is not available at the moment: pay by bank transfer or from "
            "your balance.",
            code="no_provider",
        )
    key = _check_key(idempotency_key)
    with transaction.atomic():
        order = _customer_order_for_update(order_id, customer)
        payment = order.payments.filter(idempotency_key=f"online:{key}").first()
        if payment is None:
            if order.status != OrderStatus.AWAITING_PAYMENT or order.outstanding <= 0:
                raise PaymentError(
                    f"Order {order.reference} is {_status_label(order)}: nothing is left to pay.",
                    code="nothing_due",
                )
            payment = Payment.objects.create(
                order=order,
                method=PaymentMethod.GATEWAY,
                provider=provider.name,
                amount=order.outstanding,
                currency=order.currency,
                status=PaymentStatus.PENDING,
                provider_reference=new_reference("PAY-", 16),
                idempotency_key=f"online:{key}",
            )
    if payment.status != PaymentStatus.PENDING:
        return payment, ""
    try:
        url = provider.start_payment(payment)
    except (ProviderError, OSError) as error:
        logger.warning("Gateway %s refused payment %s: %s", provider.name, payment.pk, error)
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.FAILED, note=f"Not opened: {error}"[:255]
        )
        raise PaymentError(
            "The payment gateway did not answer, so nothing was charged: try again in a "
            "minute, or pay by bank transfer.",
            code="gateway_unavailable",
        ) from error
    return payment, url


@dataclass(frozen=True)
class NotificationResult:
    payment: Payment
    outcome: str
    duplicate: bool = False


def _apply_notification(order: Order, payment: Payment, status: str) -> str:
    if status == NotificationStatus.SUCCEEDED:
        if payment.status == PaymentStatus.SUCCEEDED:
            return "Already recorded."
        payment.status = PaymentStatus.SUCCEEDED
        payment.succeeded_at = timezone.now()
        payment.save(update_fields=["status", "succeeded_at"])
        return _apply_received(order, payment, actor=None).message
    if payment.status != PaymentStatus.PENDING:
        return f"Failure ignored: the payment is {payment.status}."
    payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["status"])
    lifecycle.order_event_add(
        order=order,
        kind=OrderEventKind.PAYMENT,
        message=f"Online payment of {payment.amount} {payment.currency} failed",
    )
    return "Payment failed."


def _seen_before(provider: str, notice, payment: Payment) -> GatewayNotification | None:
    seen = GatewayNotification.objects.filter(provider=provider, event_id=notice.event_id).first()
    if seen is None:
        return None
    if seen.payment_id != payment.pk or seen.payload.get("status") != notice.status:
        raise InvalidNotification(
            f"Event {notice.event_id} was already received with other content."
        )
    return seen


def notification_receive(*, provider_name: str, headers, body: bytes) -> NotificationResult:
    """Verify a gateway's notification and record what it says, once per event id.

    Raises ``InvalidNotification`` (nothing written) when it is forged, tampered with,
    stale, about an unknown payment, or its amount or currency differ from the payment's.
    Deliveries of one event at once queue on the order's lock; the first records the
    payment and the others find the event already kept."""
    provider = get_provider(provider_name)
    if provider is None:
        raise InvalidNotification(f"No payment provider is called {provider_name[:32]!r}.")
    notice = provider.verify_notification(headers, body)
    found = (
        Payment.objects.filter(
            method=PaymentMethod.GATEWAY,
            provider=provider.name,
            provider_reference=notice.payment_reference,
        )
        .values_list("pk", "order_id")
        .first()
    )
    if found is None:
        raise InvalidNotification(f"No payment {notice.payment_reference} at {provider.name}.")
    payment_id, order_id = found
    try:
        with transaction.atomic():
            order = order_for_update(order_id)
            payment = Payment.objects.select_for_update().get(pk=payment_id)
            if (notice.amount, notice.currency) != (payment.amount, payment.currency):
                raise InvalidNotification(
                    f"The notification is for {notice.amount} {notice.currency}; payment "
                    f"{payment.provider_reference} is {payment.amount} {payment.currency}."
                )
            seen = _seen_before(provider.name, notice, payment)
            if seen is not None:
                return NotificationResult(payment=payment, outcome=seen.outcome, duplicate=True)
            outcome = _apply_notification(order, payment, notice.status)
            GatewayNotification.objects.create(
                provider=provider.name,
                event_id=notice.event_id,
                payment=payment,
                payload=notice.payload,
                outcome=outcome[:200],
            )
    except IntegrityError:
        payment = Payment.objects.get(pk=payment_id)
        seen = _seen_before(provider.name, notice, payment)
        if seen is None:
            raise
        return NotificationResult(payment=payment, outcome=seen.outcome, duplicate=True)
    return NotificationResult(payment=payment, outcome=outcome)


# --- refunds ------------------------------------------------------------------------------------


def _check_refund(order: Order, amount: Decimal, reason: str, payment: Payment | None = None):
    if not reason:
        raise PaymentError("Say why the money is refunded.", code="no_reason")
    left = refundable(order)
    if payment is not None:
        of_payment = payment.refunds.exclude(status=RefundStatus.FAILED).aggregate(s=Sum("amount"))[
            "s"
        ]
        left = min(left, payment.amount - _money(of_payment))
    if amount > left:
        raise PaymentError(
            f"At most {max(left, ZERO)} {order.currency} of {order.reference} can still be "
            "refunded.",
            code="refund_too_large",
        )


def _close_if_refunded_in_full(order: Order, *, actor) -> None:
    """An order whose payments are all refunded becomes refunded; its points earned are
    taken back and the points it used returned."""
    paid = paid_total(order)
    if order.status not in (OrderStatus.PAID, OrderStatus.COMPLETED) or paid <= 0:
        return
    if refunded_total(order, succeeded_only=True) < paid:
        return
    lifecycle.order_transition(
        order_id=order.pk, to=OrderStatus.REFUNDED, actor=actor, reason="Refunded in full"
    )
    order.status = OrderStatus.REFUNDED
    customer_services.points_reverse_for_order(user=order.customer, order_reference=order.reference)
    if order.points_used:
        customer_services.points_return(
            user=order.customer,
            idempotency_key=f"order:{order.reference}",
            reference=order.reference,
        )


def refund_to_balance(
    *, order_id: int, amount, staff, reason: str, idempotency_key: str | None = None
) -> Refund:
    """Give back (part of) what an order paid to the customer's balance, at once. Never
    more than was paid less what was refunded; in full, the order becomes refunded."""
    amount = parse_amount(amount)
    reason = (reason or "").strip()[:255]
    key = f"staff:{idempotency_key or uuid.uuid4().hex}"
    with transaction.atomic():
        order = order_for_update(order_id)
        existing = order.refunds.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        _check_refund(order, amount, reason)
        refunds = []
        for n, (payment, share) in enumerate(_allocate(order, amount)):
            refund = Refund.objects.create(
                order=order,
                payment=payment,
                amount=share,
                destination=RefundDestination.BALANCE,
                status=RefundStatus.SUCCEEDED,
                reason=reason,
                idempotency_key=key if n == 0 else f"{key}:{n}",
                created_by=staff,
                succeeded_at=timezone.now(),
            )
            customer_services.balance_credit(
                user=order.customer,
                amount=share,
                kind=BalanceEntryKind.REFUND,
                idempotency_key=f"order:{order.reference}:refund:{refund.pk}",
                reference_type="order",
                reference_id=order.reference,
                note=f"Refund of {order.reference}: {reason}"[:255],
            )
            refunds.append(refund)
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.REFUND,
            actor=staff,
            message=f"{amount} {order.currency} refunded to the account balance: {reason}",
        )
        _close_if_refunded_in_full(order, actor=staff)
        lifecycle.notify_refunded(refunds[0].pk)
    return refunds[0]


def _allocate(order: Order, amount: Decimal) -> list[tuple[Payment, Decimal]]:
    """Split a refund over the succeeded payments it gives back (oldest first), so each
    payment's refunds never exceed it and cancelling later refunds only what is left."""
    shares = []
    left = amount
    payments = order.payments.filter(status=PaymentStatus.SUCCEEDED).order_by("pk")
    for payment in payments:
        if left <= 0:
            break
        taken = payment.refunds.exclude(status=RefundStatus.FAILED).aggregate(s=Sum("amount"))
        free = payment.amount - _money(taken["s"])
        if free > 0:
            share = min(free, left)
            shares.append((payment, share))
            left -= share
    return shares


def refund_to_original(
    *,
    order_id: int,
    payment_id: int,
    amount,
    staff,
    reason: str,
    idempotency_key: str | None = None,
) -> Refund:
    """Give back (part of) an online payment through its gateway. The refund is written
    pending and sent by a task after commit; it counts against what can be refunded at once."""
    from . import tasks

    amount = parse_amount(amount)
    reason = (reason or "").strip()[:255]
    key = f"staff:{idempotency_key or uuid.uuid4().hex}"
    with transaction.atomic():
        order = order_for_update(order_id)
        existing = order.refunds.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        payment = order.payments.filter(
            pk=payment_id, method=PaymentMethod.GATEWAY, status=PaymentStatus.SUCCEEDED
        ).first()
        if payment is None:
            raise PaymentError(
                "Only a succeeded online payment of this order can be refunded to where it "
                "came from: refund to the balance instead.",
                code="not_refundable_online",
            )
        _check_refund(order, amount, reason, payment)
        refund = Refund.objects.create(
            order=order,
            payment=payment,
            amount=amount,
            destination=RefundDestination.ORIGINAL,
            reason=reason,
            idempotency_key=key,
            created_by=staff,
        )
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.REFUND,
            actor=staff,
            message=f"{amount} {order.currency} refund to the online payment requested: {reason}",
        )
        tasks.refund_send.delay_on_commit(refund_id=refund.pk)
    return refund


def _refund_failed(refund_id: int, error: str) -> None:
    with transaction.atomic():
        order_id = Refund.objects.values_list("order_id", flat=True).get(pk=refund_id)
        order = order_for_update(order_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.status != RefundStatus.PENDING:
            return
        refund.status = RefundStatus.FAILED
        refund.last_error = error[:300]
        refund.save(update_fields=["status", "last_error"])
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.REFUND,
            message=f"Refund of {refund.amount} {order.currency} to the online payment "
            f"failed: {error}",
        )


def refund_send(*, refund_id: int) -> bool:
    """Send a pending refund to the original payment's gateway; True once it succeeded.

    Safe to run twice: a refund no longer pending is left alone, and providers send the
    refund's id as their request number so the gateway refunds once. A refusal marks it
    failed with the gateway's reason; a transient error (``OSError``) is kept in
    ``last_error`` and raised for the task to retry."""
    refund = Refund.objects.select_related("payment").filter(pk=refund_id).first()
    if refund is None:
        return False
    if refund.status != RefundStatus.PENDING:
        return refund.status == RefundStatus.SUCCEEDED
    payment = refund.payment
    provider = get_provider(payment.provider) if payment is not None else None
    if refund.destination != RefundDestination.ORIGINAL or provider is None:
        name = payment.provider if payment is not None else "none"
        _refund_failed(refund_id, f"No online payment provider {name!r} to refund through.")
        return False
    try:
        provider_reference = provider.refund(refund)
    except ProviderError as error:
        _refund_failed(refund_id, str(error) or "Refused by the gateway.")
        return False
    except OSError as error:
        Refund.objects.filter(pk=refund_id, status=RefundStatus.PENDING).update(
            last_error=str(error)[:300] or "The gateway did not answer."
        )
        raise
    with transaction.atomic():
        order = order_for_update(refund.order_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.status != RefundStatus.PENDING:
            return refund.status == RefundStatus.SUCCEEDED
        refund.status = RefundStatus.SUCCEEDED
        refund.provider_reference = str(provider_reference)[:100]
        refund.succeeded_at = timezone.now()
        refund.last_error = ""
        refund.save(update_fields=["status", "provider_reference", "succeeded_at", "last_error"])
        lifecycle.order_event_add(
            order=order,
            kind=OrderEventKind.REFUND,
            message=f"{refund.amount} {order.currency} refunded to the online payment "
            f"({refund.provider_reference})",
        )
        _close_if_refunded_in_full(order, actor=None)
        lifecycle.notify_refunded(refund.pk)
    return True
