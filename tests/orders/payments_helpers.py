"""Helpers of the payment tests: a placed order, a funded balance, a signed notification."""

import json
import time
from decimal import Decimal

from customers import services as customer_services
from customers.models import Address
from orders.models import Order, PaymentMethod, ShippingMethod
from orders.payments.providers import sandbox
from tests.customers.factories import AddressFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place


def fund(customer, amount: str) -> None:
    customer_services.balance_credit(
        user=customer, amount=Decimal(amount), idempotency_key=f"seed-{amount}-{time.time()}"
    )


def place_order(customer, part, *, quantity=150, key="form-1", **overrides) -> Order:
    """An order of ``quantity`` resistors shipped by express: 150 pieces cost 14.60."""
    address = Address.objects.filter(user=customer, is_default=True).first()
    address = address or AddressFactory(user=customer, is_default=True)
    method = ShippingMethod.objects.first() or ShippingMethodFactory()
    fill_cart(customer, (part, quantity))
    return place(customer, choices(address, method, **overrides), key=key)


def place_online_order(customer, part, **overrides) -> Order:
    return place_order(customer, part, payment_method=PaymentMethod.GATEWAY, **overrides)


def signed(
    payment,
    *,
    status="succeeded",
    event_id="evt_1",
    amount=None,
    currency=None,
    timestamp=None,
    secret=None,
    reference=None,
):
    """(body, headers for Django's test client) of a sandbox notification."""
    body = json.dumps(
        {
            "event_id": event_id,
            "payment": reference or payment.provider_reference,
            "amount": str(amount if amount is not None else payment.amount),
            "currency": currency or payment.currency,
            "status": status,
        }
    ).encode()
    ts = int(timestamp if timestamp is not None else time.time())
    signature = sandbox.sign(body, ts, secret)
    return body, {"HTTP_X_SANDBOX_TIMESTAMP": str(ts), "HTTP_X_SANDBOX_SIGNATURE": signature}


def plain_headers(meta: dict) -> dict:
    """Test-client META headers as a gateway sends them."""
    return {
        "X-Sandbox-Timestamp": meta["HTTP_X_SANDBOX_TIMESTAMP"],
        "X-Sandbox-Signature": meta["HTTP_X_SANDBOX_SIGNATURE"],
    }


class RefusingSandbox(sandbox.SandboxProvider):
    """A gateway that refuses every refund for good."""

    def refund(self, refund) -> str:
        from orders.payments.providers import ProviderError

        raise ProviderError("Refund refused: the original payment is older than 90 days.")


class UnreachableSandbox(sandbox.SandboxProvider):
    """A gateway that does not answer."""

    def refund(self, refund) -> str:
        raise ConnectionError("Connection to the gateway timed out.")

    def start_payment(self, payment) -> str:
        raise ConnectionError("Connection to the gateway timed out.")
