"""Template tags of returns, loaded as ``{% load returns %}`` (registered in settings)."""

from django import template

from . import selectors

register = template.Library()


@register.inclusion_tag("orders/returns/_order_section.html")
def order_returns(order):
    """The "Return or complain" links of a delivered order's lines and its returns (no
    query at all for an order not delivered yet)."""
    if not selectors.order_has_returns(order):
        return {"order": order, "returnable": set(), "lines": [], "returns": []}
    return {
        "order": order,
        "returnable": selectors.returnable_line_ids(order),
        "lines": list(order.lines.all()),
        "returns": list(selectors.returns_of(customer=order.customer_id).filter(order=order)),
        "deadline": selectors.return_deadline(order),
    }


@register.simple_tag
def non_returnable_mpns(quote) -> list[str]:
    """MPNs of checkout lines partly bought from a supplier who takes nothing back."""
    return selectors.non_returnable_mpns(
        [line.part.pk for line in quote.lines if line.stock.from_suppliers]
    )
