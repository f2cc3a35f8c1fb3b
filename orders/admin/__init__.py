"""The orders app's admin, one module per capability."""

from . import orders, payments, returns, rfq  # noqa: F401, I001
from ..fulfilment import admin as fulfilment  # noqa: F401
