"""Gift lines of a new order: the customer's gifts that ship with their next order and the
spend-threshold gifts this order reached become free lines (no price, no VAT, outside the
totals, the points and the stock reservation)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from promotions import threshold

from ..models import Order, OrderLine

ZERO = Decimal("0.00")


def gift_lines_add(*, order: Order, subtotal: Decimal, after_position: int) -> list[OrderLine]:
    entitlements = threshold.gifts_for_new_order(
        customer=order.customer, order_reference=order.reference, subtotal=subtotal
    )
    lines = []
    for offset, entitlement in enumerate(entitlements, start=1):
        gift = entitlement.gift
        part = gift.part
        lines.append(
            OrderLine(
                order=order,
                position=after_position + offset,
                part=None,
                sku=part.sku if part else "",
                mpn=(part.mpn if part else gift.name)[:100],
                manufacturer=(part.manufacturer.name if part else _("Gift"))[:120],
                description=(_("Free gift: %(name)s") % {"name": gift.name})[:500],
                quantity=1,
                unit_price=ZERO,
                line_total=ZERO,
                discount=ZERO,
                net=ZERO,
                vat=ZERO,
                gross=ZERO,
                from_stock=1,
                from_suppliers=0,
                is_gift=True,
            )
        )
    return OrderLine.objects.bulk_create(lines) if lines else []
