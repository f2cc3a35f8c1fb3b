"""Domain errors of orders; their messages are shown to customers and staff as they are.

Input a customer can correct (a quantity, an email address) is refused with Django's
``ValidationError`` instead, so forms and the API show it beside the field.
"""


class OrdersError(Exception):
    """Base class: ``str(error)`` is a message fit to show."""


class InvalidTransition(OrdersError):
    """A status change the status machine does not allow from the current status."""
