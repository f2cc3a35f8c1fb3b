"""Template tags of gifts for orders' pages (the cart), which render what promotions knows."""

from django import template

from promotions.threshold import threshold_hints

register = template.Library()


@register.inclusion_tag("promotions/_threshold_hints.html", takes_context=True)
def threshold_gift_hints(context, subtotal):
    """``{% load promotions_gifts %}{% threshold_gift_hints cart.subtotal %}``."""
    return {
        "hints": threshold_hints(subtotal=subtotal),
        "SHOP_CURRENCY": context.get("SHOP_CURRENCY"),
    }
