"""The orders app's admin, one module per capability."""

from . import orders, payments, rfq  # noqa: F401
