"""Row locks of returns, taken after the order's lock (``orders.locks.order_for_update``)."""

from ..models import ReturnRequest


def return_for_update(return_id: int) -> ReturnRequest:
    """The return, locked, with its line and order read (its status re-read under the lock)."""
    return (
        ReturnRequest.objects.select_related("line", "order", "customer")
        .select_for_update(of=("self",))
        .get(pk=return_id)
    )
