"""Generated data for the report tests: paid orders written straight to the tables (the
reports read orders, not how they were placed), and behaviour events of a day."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from customers.models import BehaviourEvent
from orders.models import Order, OrderLine, OrderLineSupply, OrderStatus, PaymentMethod
from reports import rollups

_references = itertools.count(1)
NOON = time(12, 0)


def at(day: date, clock: time = NOON) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def paid_order(
    customer,
    lines,
    *,
    paid_on: date | None,
    coupon=None,
    status=OrderStatus.PAID,
    discount=Decimal("0.00"),
) -> Order:
    """``lines``: (part, quantity, net, from_stock[, supplier offer]) — the rest of the
    quantity comes from the offer. Net amounts excl. VAT; VAT is left at zero."""
    subtotal = sum((Decimal(line[2]) for line in lines), Decimal("0"))
    total = subtotal - discount
    moment = at(paid_on) if paid_on else timezone.now()
    order = Order.objects.create(
        reference=f"T{next(_references):07d}",
        customer=customer,
        idempotency_key=uuid.uuid4().hex,
        request_fingerprint="x",
        status=status,
        currency="CNY",
        vat_rate=Decimal("0"),
        recipient="R",
        phone="1",
        line1="L",
        city="C",
        subtotal=subtotal,
        discount=discount,
        total=total,
        amount_due=total,
        amount_paid=total if paid_on else Decimal("0"),
        payment_method=PaymentMethod.BANK_TRANSFER,
        coupon=coupon,
        paid_at=moment if paid_on else None,
    )
    Order.objects.filter(pk=order.pk).update(placed_at=moment)
    for position, (part, quantity, net, from_stock, *offer) in enumerate(lines, start=1):
        net = Decimal(net)
        line = OrderLine.objects.create(
            order=order,
            position=position,
            part=part,
            mpn=part.mpn,
            manufacturer=part.manufacturer.name,
            quantity=quantity,
            unit_price=net / quantity,
            line_total=net,
            discount=Decimal("0"),
            net=net,
            vat=Decimal("0"),
            gross=net,
            from_stock=from_stock,
            from_suppliers=quantity - from_stock,
        )
        if offer:
            OrderLineSupply.objects.create(
                line=line,
                offer=offer[0],
                supplier=offer[0].supplier,
                quantity=quantity - from_stock,
                lead_days=offer[0].lead_days,
            )
    return order


def event(kind, *, day, customer=None, visitor="", clock=NOON, channel="direct", source="",
          **fields) -> BehaviourEvent:  # fmt: skip
    return BehaviourEvent.objects.create(
        event_id=uuid.uuid4(),
        kind=kind,
        occurred_at=at(day, clock),
        customer=customer,
        visitor_id=visitor,
        channel=channel,
        source=source,
        **fields,
    )


def refresh(*days: date) -> None:
    for day in days:
        rollups.rollup_day_refresh(day=day)
