"""The orders app's admin, one module per capability."""

from . import (
    orders,  # noqa: F401
    rfq,  # noqa: F401
)
