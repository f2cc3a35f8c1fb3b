"""Reads of payments shaped for the customer's pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from customers.models import CustomerProfile

from ..models import Order, Payment, PaymentMethod, PaymentStatus
from ..status import OrderStatus
from .providers import active_provider

ZERO = Decimal("0.00")


def order_of_customer(*, reference: str, customer) -> Order | None:
    return Order.objects.filter(reference=reference, customer=customer).first()


def payment_of_customer(*, provider_reference: str, customer) -> Payment | None:
    """An online payment by its merchant reference, if it belongs to ``customer``."""
    if not provider_reference:
        return None
    return (
        Payment.objects.select_related("order")
        .filter(
            method=PaymentMethod.GATEWAY,
            provider_reference=provider_reference,
            order__customer=customer,
        )
        .first()
    )


@dataclass
class PayPanel:
    """What the order page's pay panel shows: what is due and the ways to pay it."""

    order: Order
    outstanding: Decimal
    can_pay: bool
    balance: Decimal
    bank: dict
    online_label: str
    payments: list[Payment] = field(default_factory=list)
    waiting_online: bool = False
    form_key: str = ""

    @property
    def balance_pays_all(self) -> bool:
        return self.can_pay and self.balance >= self.outstanding

    @property
    def balance_part(self) -> Decimal:
        """What the balance can pay when it does not cover everything (0 when empty)."""
        if not self.can_pay or self.balance_pays_all:
            return ZERO
        return self.balance

    @property
    def online(self) -> bool:
        return self.can_pay and bool(self.online_label)


def pay_panel(*, order: Order) -> PayPanel:
    can_pay = order.status == OrderStatus.AWAITING_PAYMENT and order.outstanding > 0
    profile = (
        CustomerProfile.objects.filter(user_id=order.customer_id).only("balance").first()
        if can_pay
        else None
    )
    # order.payments.all() uses the order page's prefetch when it made one.
    payments = sorted(order.payments.all(), key=lambda p: (p.created_at, p.pk))
    provider = active_provider()
    return PayPanel(
        order=order,
        outstanding=order.outstanding,
        can_pay=can_pay,
        balance=profile.balance if profile else ZERO,
        bank=settings.SHOP_BANK_DETAILS,
        online_label=(provider.label or "Online payment") if provider else "",
        payments=[p for p in payments if p.status == PaymentStatus.SUCCEEDED],
        waiting_online=any(
            p.method == PaymentMethod.GATEWAY and p.status == PaymentStatus.PENDING
            for p in payments
        ),
        form_key=uuid.uuid4().hex,
    )
