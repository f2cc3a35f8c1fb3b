"""Domain errors of returns; their messages are shown to customers and staff as they are."""

from ..errors import OrdersError


class ReturnNotAllowed(OrdersError):
    """This line cannot be returned."""

    code = "return_not_allowed"


class InvalidReturnStep(OrdersError):
    """This step is not possible in the return's current status."""

    code = "invalid_return_step"
