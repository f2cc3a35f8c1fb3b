"""Template tags for pages outside promotions (the account overview belongs to customers/,
which must not import promotions; a template tag keeps that arrow one-way)."""

from django import template

from promotions.selectors import first_order_coupon_for

register = template.Library()


@register.inclusion_tag("promotions/_first_order_banner.html", takes_context=True)
def first_order_banner(context):
    """``{% load promotions %}{% first_order_banner %}``: the signed-in customer's unused
    first-order coupon, or nothing."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"coupon": first_order_coupon_for(user), "SHOP_CURRENCY": context.get("SHOP_CURRENCY")}
