"""The sandbox gateway: runs inside the store, for the demo, development and tests.

Its cashier is the store's own page ``/payments/sandbox/<payment reference>/`` with "Pay"
and "Fail" buttons. Pressing one sends the same server-to-server notification a live
gateway would, signed with ``settings.ORDERS_SANDBOX_SECRET``::

    X-Sandbox-Timestamp: 1767225600
    X-Sandbox-Signature: hex(HMAC-SHA256(secret, "1767225600." + body))

    {"event_id": "evt_…", "payment": "PAY-…", "amount": "14.60", "currency": "CNY",
     "status": "succeeded"}

Refunds are accepted at once and get the id ``sbx-refund-<refund id>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from .base import InvalidNotification, Notification, NotificationStatus, Provider

TIMESTAMP_HEADER = "X-Sandbox-Timestamp"
SIGNATURE_HEADER = "X-Sandbox-Signature"
CENT = Decimal("0.01")


def sign(body: bytes, timestamp: int, secret: str | None = None) -> str:
    key = (secret if secret is not None else settings.ORDERS_SANDBOX_SECRET).encode()
    message = str(timestamp).encode() + b"." + body
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def notification_for(payment, status: str, *, event_id: str | None = None, now=None):
    """The signed notification the sandbox sends about ``payment``: (headers, body)."""
    body = json.dumps(
        {
            "event_id": event_id or f"evt_{secrets.token_hex(12)}",
            "payment": payment.provider_reference,
            "amount": str(payment.amount),
            "currency": payment.currency,
            "status": status,
        },
        separators=(",", ":"),
    ).encode()
    timestamp = int(now if now is not None else time.time())
    headers = {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(body, timestamp)}
    return headers, body


class SandboxProvider(Provider):
    label = "Sandbox (test payments)"

    def start_payment(self, payment) -> str:
        return reverse("orders:payment-sandbox", args=[payment.provider_reference])

    def verify_notification(self, headers, body: bytes) -> Notification:
        lowered = {str(k).lower(): v for k, v in headers.items()}
        timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
        signature = lowered.get(SIGNATURE_HEADER.lower(), "")
        if not timestamp or not signature:
            raise InvalidNotification("The notification is not signed.")
        if not timestamp.isdigit():
            raise InvalidNotification("The notification's timestamp is not a number.")
        expected = sign(body, int(timestamp))
        if not hmac.compare_digest(expected.encode(), str(signature).encode()):
            raise InvalidNotification("The notification's signature does not match.")
        tolerance = settings.ORDERS_GATEWAY_NOTIFICATION_TOLERANCE
        if abs(time.time() - int(timestamp)) > tolerance:
            raise InvalidNotification(
                f"The notification is older than {tolerance} seconds (or from the future)."
            )
        try:
            data = json.loads(body)
            event_id = str(data["event_id"]).strip()
            reference = str(data["payment"]).strip()
            amount = Decimal(str(data["amount"]))
            currency = str(data["currency"]).strip().upper()
            status = str(data["status"])
        except (ValueError, TypeError, KeyError, InvalidOperation) as exc:
            raise InvalidNotification("The notification's body is malformed.") from exc
        if not event_id or not reference or len(event_id) > 100 or len(reference) > 100:
            raise InvalidNotification("The notification names no event or payment.")
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
            raise InvalidNotification("The notification's amount is not an amount of money.")
        if status not in (NotificationStatus.SUCCEEDED, NotificationStatus.FAILED):
            raise InvalidNotification(f"Unknown payment status {status[:20]!r}.")
        return Notification(
            event_id=event_id,
            payment_reference=reference,
            amount=amount.quantize(CENT),
            currency=currency,
            status=status,
            payload=data,
        )

    def refund(self, refund) -> str:
        return f"sbx-refund-{refund.pk}"
