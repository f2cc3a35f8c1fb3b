"""The orders app's admin, one module per capability."""

from . import rfq  # noqa: F401
