"""Domain errors of customers; views and the API turn them into messages."""

from django.utils.translation import gettext as _


class CustomersError(Exception):
    """Base class: ``str(error)`` is a message fit to show the customer."""


class InsufficientBalance(CustomersError):
    def __init__(self, *, available, requested):
        self.available = available
        self.requested = requested
        super().__init__(
            _("Insufficient balance: %(available)s available, %(requested)s requested.")
            % {"available": available, "requested": requested}
        )


class InsufficientPoints(CustomersError):
    def __init__(self, *, available, requested):
        self.available = available
        self.requested = requested
        super().__init__(
            _("Insufficient points: %(available)s available, %(requested)s requested.")
            % {"available": available, "requested": requested}
        )


class InvalidAmount(CustomersError):
    pass


class InvalidTopUpState(CustomersError):
    pass


class InvalidToken(CustomersError):
    pass


class EmailAlreadyRegistered(CustomersError):
    pass


class InvalidApiKey(CustomersError):
    pass
