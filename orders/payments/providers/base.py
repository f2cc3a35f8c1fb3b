"""The interface every online gateway implements (sandbox, Alipay, WeChat Pay, Stripe …).

The store calls a provider at three moments, never while holding a database lock:

* ``start_payment(payment)`` after a pending ``Payment`` is committed: returns the URL the
  customer is sent to (the gateway's cashier page);
* ``verify_notification(headers, body)`` when the gateway POSTs to
  ``/payments/notify/<name>/``: checks the signature and freshness and returns a
  ``Notification``, or raises ``InvalidNotification`` (the store answers 400 and writes
  nothing);
* ``refund(refund)`` from a Celery task: sends a refund and returns the gateway's refund id,
  raises ``ProviderError`` when the gateway refuses it for good, or ``OSError`` for a
  transient failure the task retries.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from decimal import Decimal


class InvalidNotification(Exception):
    """A gateway notification the store does not trust or cannot apply; nothing is written."""


class ProviderError(Exception):
    """The gateway refused a request for good (a retry would be refused again)."""


class NotificationStatus:
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Notification:
    """A verified notification: which payment (the merchant reference the store gave the
    gateway), how much, and whether the money arrived."""

    event_id: str
    payment_reference: str
    amount: Decimal
    currency: str
    status: str
    payload: dict


class Provider(abc.ABC):
    """An online gateway. ``name`` is the key of the registry and of ``Payment.provider``."""

    name: str = ""
    label: str = ""

    @abc.abstractmethod
    def start_payment(self, payment) -> str:
        """Open the payment at the gateway; return the URL to send the customer to."""

    @abc.abstractmethod
    def verify_notification(self, headers, body: bytes) -> Notification:
        """Check a server-to-server notification; raise ``InvalidNotification`` if it is
        forged, tampered with, stale or malformed."""

    @abc.abstractmethod
    def refund(self, refund) -> str:
        """Send a refund of ``refund.amount`` for ``refund.payment``; return the gateway's
        refund id. Must be idempotent by ``refund.pk`` (sent as the gateway's request no.)."""
