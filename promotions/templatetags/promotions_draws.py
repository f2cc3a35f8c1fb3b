"""Template tags of lucky draws: a paid order's draws on the order page (orders' template
loads this; orders may read promotions), and small formatting filters."""

from decimal import Decimal

from django import template

from promotions.draws import draws_of_order

register = template.Library()


@register.inclusion_tag("promotions/draws/_order_draws.html", takes_context=True)
def order_draws(context, order):
    """``{% load promotions_draws %}{% order_draws order %}``: the draws the order earned
    (only a paid order earns any: an unpaid one costs no query)."""
    if order.paid_at is None:
        return {"draws": []}
    return {"draws": draws_of_order(order.customer_id, order.reference)}


@register.filter
def ppm_percent(ppm) -> str:
    """Parts per million as a percent with up to 4 decimals: 125000 → 12.5."""
    value = (Decimal(int(ppm or 0)) / Decimal(10_000)).normalize()
    return f"{value:f}"


@register.filter
def prize_name(prize_id, names: dict) -> str:
    return names.get(prize_id, "") if prize_id is not None else ""
