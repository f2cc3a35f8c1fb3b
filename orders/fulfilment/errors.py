"""Refusals of fulfilment; their messages are shown to staff as they are."""

from ..errors import OrdersError


class FulfilmentError(OrdersError):
    """The order cannot be fulfilled this way as it stands."""

    code = "fulfilment_error"


class NothingToShip(FulfilmentError):
    """Nothing of this order is picked and waiting to ship."""

    code = "nothing_to_ship"


class ShipTogether(FulfilmentError):
    """The customer asked to ship everything together, and not all of it is ready."""

    code = "ship_together"
