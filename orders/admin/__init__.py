"""The orders app's admin, one module per capability."""

from . import orders, payments, returns, rfq  # noqa: F401
