"""An order's status machine, in one place: the states and the transitions allowed between them.

``orders.lifecycle.services.order_transition`` is the only code that changes an order's
status: it locks the order, checks the transition here, saves it and appends an
``OrderEvent`` (who, when, why) to the order's timeline.

    awaiting_payment ──► paid ──► partly_shipped ──► shipped ──► delivered ──► completed
           │              │                                                     │
           └──► cancelled ◄┘ (before anything shipped)     refunded ◄── (any paid state)

A paid order is picked and shipped in one or more shipments: ``partly_shipped`` while some
lines wait (the customer chose "ship what is in stock now"), ``shipped`` once every line has
left, ``delivered`` when the carrier says so, and ``completed`` when delivered or a set
number of days after the last shipment (a beat job). Returns are opened on delivered and
completed orders.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    PARTLY_SHIPPED = "partly_shipped", _("Partly shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.AWAITING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset(
        {
            OrderStatus.PARTLY_SHIPPED,
            OrderStatus.SHIPPED,
            OrderStatus.COMPLETED,
            OrderStatus.CANCELLED,
            OrderStatus.REFUNDED,
        }
    ),
    OrderStatus.PARTLY_SHIPPED: frozenset({OrderStatus.SHIPPED, OrderStatus.REFUNDED}),
    OrderStatus.SHIPPED: frozenset(
        {OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.REFUNDED}
    ),
    OrderStatus.DELIVERED: frozenset({OrderStatus.COMPLETED, OrderStatus.REFUNDED}),
    OrderStatus.COMPLETED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}

# States in which the order still holds stock it has not shipped.
HOLDS_STOCK = frozenset(
    {OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PARTLY_SHIPPED}
)
# States that count as a paid order (for "first paid order", points, reports).
PAID_STATES = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.PARTLY_SHIPPED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    }
)
# States whose shipped lines a customer may open a return on.
RETURNABLE_STATES = frozenset({OrderStatus.DELIVERED, OrderStatus.COMPLETED})


def can_transition(current: str, to: str) -> bool:
    return to in ALLOWED_TRANSITIONS.get(current, frozenset())
