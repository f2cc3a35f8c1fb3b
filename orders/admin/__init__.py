"""The orders app's admin, one module per capability."""

from . import payments, rfq  # noqa: F401
