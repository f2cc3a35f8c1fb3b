"""Helpers of the return tests: a delivered order, photos, a lab report."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.lifecycle.services import order_transition
from orders.models import OrderStatus, PaymentMethod
from orders.payments import services as payments
from orders.returns import services
from tests.orders.payments_helpers import fund, place_order


def deliver(order, *, staff=None):
    for status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        order_transition(order_id=order.pk, to=status, actor=staff, reason="test")
    order.refresh_from_db()
    return order


def delivered_order(customer, part, *, quantity=150, key="form-1", staff=None):
    """An order placed at checkout, paid from the balance, shipped and delivered."""
    fund(customer, "1000.00")
    order = place_order(customer, part, quantity=quantity, key=key)
    payments.payment_pay_from_balance(
        order_id=order.pk, customer=customer, idempotency_key=f"pay-{key}"
    )
    return deliver(order, staff=staff)


def photo(name="pins.jpg", *, size=(64, 48), fmt="JPEG", mode="RGB", **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(
        buffer, format=fmt, **save
    )
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def lab_report(name="report.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def open_return(customer, order, *, quantity=10, kind="return", reason="bent_pins", key="rma-1",
                photos=(), line=None):
    line = line or order.lines.get()
    return services.return_open(
        customer=customer,
        line_id=line.pk,
        kind=kind,
        reason=reason,
        quantity=quantity,
        description="Pins 3 and 4 are bent on arrival.",
        photos=list(photos),
        idempotency_key=key,
    )


__all__ = ["PaymentMethod"]
