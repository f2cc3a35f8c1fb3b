"""Domain errors of orders; their messages are shown to customers and staff as they are.

Input a customer can correct (a quantity, an email address) is refused with Django's
``ValidationError`` instead, so forms and the API show it beside the field.
"""


class OrdersError(Exception):
    """Base class: ``str(error)`` is a message fit to show. ``code`` names the error in
    API responses."""

    code = "orders_error"

    def __init__(self, message: str = "", *, code: str | None = None):
        super().__init__(message or self.__doc__.strip().splitlines()[0])
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class InvalidTransition(OrdersError):
    """A status change the status machine does not allow from the current status."""

    code = "invalid_transition"


class CheckoutError(OrdersError):
    """The order cannot be placed as it stands."""

    code = "checkout_error"


class EmptyCart(CheckoutError):
    """Your cart is empty: add parts before checking out."""

    code = "empty_cart"


class CartNotOrderable(CheckoutError):
    """Some lines of the cart cannot be ordered as they are."""

    code = "cart_not_orderable"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("Some lines cannot be ordered as they are: " + " ".join(self.problems))


class QuoteChanged(CheckoutError):
    """Prices or stock changed since the order was reviewed: nothing was charged."""

    code = "quote_changed"

    def __init__(self, changes: list[str]):
        self.changes = list(changes)
        super().__init__(
            "Prices or stock changed since you reviewed your order, so nothing was charged: "
            + " ".join(self.changes)
            + " Review the new amounts and place the order again."
        )


class OutOfStock(CheckoutError):
    """Parts sold out between review and placement."""

    code = "out_of_stock"

    def __init__(self, shortages: list[str]):
        self.shortages = list(shortages)
        super().__init__(
            "Not enough stock any more, so nothing was charged: "
            + " ".join(self.shortages)
            + " Lower the quantities or request a quote for the rest."
        )


class IdempotencyConflict(CheckoutError):
    """This order form (idempotency key) was already used for a different order."""

    code = "idempotency_conflict"


class OrderNotCancellable(OrdersError):
    """This order can no longer be cancelled."""

    code = "not_cancellable"


class PaymentError(OrdersError):
    """The payment could not be recorded."""

    code = "payment_error"
