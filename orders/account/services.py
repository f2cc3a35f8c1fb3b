"""Use-cases of the customer's order pages that write: putting an old order into the cart."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.models import PackagingKind, PackagingOption, Part
from catalog.pricing import unit_price_at
from catalog.selectors import main_ladder, price_ladders

from ..cart import services as cart_services
from ..cart.selectors import open_cart
from ..models import Order


@dataclass(frozen=True)
class ReorderedLine:
    mpn: str
    quantity: int
    ordered_quantity: int
    old_unit_price: Decimal
    new_unit_price: Decimal | None

    @property
    def price_changed(self) -> bool:
        return self.new_unit_price is not None and self.new_unit_price != self.old_unit_price

    @property
    def quantity_adjusted(self) -> bool:
        return self.quantity != self.ordered_quantity


@dataclass
class ReorderSummary:
    """What putting an order into the cart changed: today's prices, parts we no longer sell,
    quantities raised to today's minimum order or multiple."""

    reference: str
    added: list[ReorderedLine] = field(default_factory=list)
    not_added: list[tuple[str, str]] = field(default_factory=list)

    def messages(self, currency: str) -> list[str]:
        lines = []
        for line in self.added:
            if line.quantity_adjusted:
                lines.append(
                    f"{line.mpn}: {line.quantity:,} pieces instead of {line.ordered_quantity:,}, "
                    "today's minimum order or multiple."
                )
            if line.price_changed:
                lines.append(
                    f"{line.mpn}: unit price {line.old_unit_price.normalize():f} → "
                    f"{line.new_unit_price.normalize():f} {currency} today."
                )
        lines += [f"{mpn}: {why}" for mpn, why in self.not_added]
        return lines


def _reorder_quantity(part: Part, option: PackagingOption | None, ladder, quantity: int) -> int:
    """The ordered quantity raised to what can be ordered today: the MOQ, the first price
    break, whole reels, the order multiple."""
    wanted = max(quantity, part.moq, ladder[0].min_quantity if ladder else 0)
    steps = [max(part.order_multiple, 1)]
    if option is not None and option.kind == PackagingKind.REEL and option.reel_quantity:
        steps.append(option.reel_quantity)
    step = math.lcm(*steps)
    return math.ceil(wanted / step) * step


def order_reorder(*, customer, order: Order) -> ReorderSummary:
    """Put the lines of one of the customer's orders into their cart at today's prices,
    through the cart's rules; parts no longer sold are left out and named."""
    if order.customer_id != customer.pk:
        raise ValidationError("This order is not yours.")
    summary = ReorderSummary(reference=order.reference)
    owner = cart_services.CartOwner(customer=customer)
    lines = list(order.lines.filter(is_gift=False).order_by("position"))
    part_ids = {line.part_id for line in lines if line.part_id}
    parts = {p.pk: p for p in Part.objects.filter(pk__in=part_ids).select_related("manufacturer")}
    ladders = price_ladders(part_ids)
    added: list[tuple] = []
    with transaction.atomic():
        for line in lines:
            part = parts.get(line.part_id)
            if part is None:
                summary.not_added.append((line.mpn, "no longer in our catalog."))
                continue
            if part.is_discontinued:
                summary.not_added.append(
                    (line.mpn, f"{part.get_lifecycle_display()}: we no longer sell it.")
                )
                continue
            options = ladders.get(part.pk, [])
            option, ladder = next(
                ((o, lad) for o, lad in options if o.pk == line.packaging_id), main_ladder(options)
            )
            if not ladder:
                summary.not_added.append((line.mpn, "no list price today: request a quote."))
                continue
            quantity = _reorder_quantity(part, option, ladder, line.quantity)
            try:
                with transaction.atomic():
                    cart_services.cart_add_line(
                        owner=owner,
                        part_id=part.pk,
                        quantity=quantity,
                        packaging_id=option.pk if option is not None else None,
                    )
            except ValidationError as error:
                summary.not_added.append((line.mpn, error.messages[0]))
                continue
            added.append((line, quantity, option, ladder))
    priced = {
        (p.part.pk, p.packaging.pk if p.packaging else None): p.unit_price
        for p in cart_services.cart_price(cart=open_cart(owner=owner)).lines
    }
    for line, quantity, option, ladder in added:
        new_price = priced.get((line.part_id, option.pk if option else None))
        if new_price is None:
            new_price = unit_price_at(ladder, quantity)
        summary.added.append(
            ReorderedLine(
                mpn=line.mpn,
                quantity=quantity,
                ordered_quantity=line.quantity,
                old_unit_price=line.unit_price,
                new_unit_price=new_price,
            )
        )
    return summary
