"""An order's status machine, in one place: the states and the transitions allowed between them.

``orders.lifecycle.services.order_transition`` is the only code that changes an order's
status: it locks the order, checks the transition here, saves it and appends an
``OrderEvent`` (who, when, why) to the order's timeline.

    awaiting_payment ──► paid ──► completed
           │              │  └──► refunded
           └──► cancelled ◄┘ (before shipping)
"""

from django.db import models


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    PAID = "paid", "Paid"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.AWAITING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset(
        {OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}
    ),
    OrderStatus.COMPLETED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}

# States in which the order still holds stock it has not shipped.
HOLDS_STOCK = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID})
# States that count as a paid order (for "first paid order", points, reports).
PAID_STATES = frozenset({OrderStatus.PAID, OrderStatus.COMPLETED})


def can_transition(current: str, to: str) -> bool:
    return to in ALLOWED_TRANSITIONS.get(current, frozenset())
