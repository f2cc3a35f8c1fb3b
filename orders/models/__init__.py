"""The orders app's models, one module per capability, shared by its sub-packages."""

from ..status import OrderStatus
from .bom import Bom, BomColumnMapping, BomLine, BomMatch
from .cart import Cart, CartLine
from .order import (
    InvoiceKind,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderLine,
    OrderLineSupply,
    PaymentMethod,
    ShippingMethod,
    ShippingRate,
)
from .payment import (
    GatewayNotification,
    Payment,
    PaymentStatus,
    Refund,
    RefundDestination,
    RefundStatus,
)
from .returns import (
    ReturnEvent,
    ReturnEventKind,
    ReturnKind,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnResolution,
)
from .rfq import INQUIRY_TRANSITIONS, Inquiry, InquiryLine, InquiryStatus

__all__ = [
    "INQUIRY_TRANSITIONS",
    "Bom",
    "BomColumnMapping",
    "BomLine",
    "BomMatch",
    "Cart",
    "CartLine",
    "GatewayNotification",
    "Inquiry",
    "InquiryLine",
    "InquiryStatus",
    "InvoiceKind",
    "Order",
    "OrderEvent",
    "OrderEventKind",
    "OrderLine",
    "OrderLineSupply",
    "OrderStatus",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Refund",
    "RefundDestination",
    "RefundStatus",
    "ReturnEvent",
    "ReturnEventKind",
    "ReturnKind",
    "ReturnPhoto",
    "ReturnReason",
    "ReturnRequest",
    "ReturnResolution",
    "ShippingMethod",
    "ShippingRate",
]
