"""Reads of orders shared by the capabilities and other apps' hooks."""

from .models import Order
from .status import PAID_STATES


def is_first_order(user) -> bool:
    """Whether the customer's next order would be their first paid one (the first-order
    coupon's rule, read by ``promotions`` through ``PROMOTIONS_FIRST_ORDER_CHECK``)."""
    if not getattr(user, "is_authenticated", False):
        return True
    return not Order.objects.filter(customer=user, status__in=PAID_STATES).exists()
