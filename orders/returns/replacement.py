"""A replacement for returned pieces: a new order of the same part at no charge.

It is an ordinary order (its own reference, lines, timeline and status machine) shipped to
the address of the original order, with stock reserved through ``catalog.services`` like
any order and paid at once (it costs nothing), so fulfilment picks it up as it does every
paid order. The return's reference is its idempotency key: one replacement per return.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.utils.translation import gettext as _

from catalog import services as catalog_services
from catalog.errors import InsufficientStock

from ..lifecycle import services as lifecycle
from ..models import Order, OrderEventKind, OrderLine, OrderLineSupply, PaymentMethod
from ..references import new_reference
from .errors import InvalidReturnStep

ZERO = Decimal("0.00")


def _new_order_reference() -> str:
    for _attempt in range(10):
        reference = new_reference("SO-")
        if not Order.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("No free order reference after 10 attempts.")


def replacement_order_place(*, request, staff) -> Order:
    """Place the zero-price order replacing ``request``'s pieces (in the caller's
    transaction, the original order and the return locked)."""
    key = f"return:{request.reference}"
    existing = Order.objects.filter(customer=request.customer, idempotency_key=key).first()
    if existing is not None:
        return existing
    original, line = request.order, request.line
    if line.part_id is None:
        raise InvalidReturnStep(_("The part of this line is no longer in the catalog."))
    reference = _new_order_reference()
    order = Order.objects.create(
        reference=reference,
        customer=request.customer,
        idempotency_key=key,
        request_fingerprint=hashlib.sha256(key.encode()).hexdigest(),
        currency=original.currency,
        vat_rate=original.vat_rate,
        recipient=original.recipient,
        company=original.company,
        phone=original.phone,
        line1=original.line1,
        line2=original.line2,
        city=original.city,
        region=original.region,
        postal_code=original.postal_code,
        country=original.country,
        shipping_method=original.shipping_method,
        shipping_method_name=original.shipping_method_name,
        invoice_kind=original.invoice_kind,
        po_number=original.po_number,
        note=_("Replacement for return %(ref)s of order %(order)s")
        % {"ref": request.reference, "order": original.reference},
        subtotal=ZERO,
        total=ZERO,
        amount_due=ZERO,
        payment_method=PaymentMethod.BALANCE,
    )
    lifecycle.order_event_add(
        order=order,
        kind=OrderEventKind.PLACED,
        actor=staff,
        message=_("Replacement for return %(ref)s") % {"ref": request.reference},
        to_status=order.status,
    )
    try:
        reservations = catalog_services.stock_reserve(wanted={line.part_id: request.quantity})
    except InsufficientStock as shortage:
        free = shortage.shortages.get(line.part_id, 0)
        raise InvalidReturnStep(
            _(
                "Only %(free)s of %(qty)s pieces of %(mpn)s can be reserved now: refund "
                "instead, or wait for stock."
            )
            % {"free": free, "qty": request.quantity, "mpn": line.mpn}
        ) from shortage
    reserved = reservations[line.part_id]
    created = OrderLine.objects.create(
        order=order,
        position=1,
        part_id=line.part_id,
        sku=line.sku,
        mpn=line.mpn,
        manufacturer=line.manufacturer,
        description=line.description,
        packaging_id=line.packaging_id,
        packaging_label=line.packaging_label,
        quantity=request.quantity,
        unit_price=ZERO,
        line_total=ZERO,
        discount=ZERO,
        net=ZERO,
        vat=ZERO,
        gross=ZERO,
        from_stock=reserved.from_stock,
        from_suppliers=reserved.from_suppliers,
        lead_days=reserved.lead_days,
    )
    OrderLineSupply.objects.bulk_create(
        OrderLineSupply(
            line=created,
            offer_id=supply.offer_id,
            supplier_id=supply.supplier_id,
            quantity=supply.quantity,
            lead_days=supply.lead_days,
        )
        for supply in reserved.supplies
    )
    lifecycle.order_payment_recorded_without_money(order=order, actor=staff)
    return order
