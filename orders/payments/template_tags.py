"""Template tags of payments, loaded as ``{% load payments %}`` (registered in settings)."""

from django import template

from . import selectors

register = template.Library()


@register.simple_tag
def payment_panel(order):
    """The pay panel's data for ``order`` (see ``selectors.pay_panel``)."""
    return selectors.pay_panel(order=order)
