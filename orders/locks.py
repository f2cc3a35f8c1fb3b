"""Row locks of orders. Rows are locked in primary-key order; an order's own rows are
locked before stock, coupons and ledgers (the order in which every service takes them)."""

from .models import Cart, Order


def open_cart_for_update(*, customer) -> Cart | None:
    return (
        Cart.objects.filter(customer=customer, checked_out_at__isnull=True)
        .order_by("pk")
        .select_for_update(of=("self",))
        .first()
    )


def order_for_update(order_id: int) -> Order:
    """The order, locked; its status is re-read under the lock before any transition."""
    return Order.objects.select_for_update(of=("self",)).get(pk=order_id)
