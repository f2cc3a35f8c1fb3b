"""Helpers of the checkout tests: a customer with an address, a cart, a quote, an order."""

from decimal import Decimal

from orders.cart.services import CartOwner, cart_add_line
from orders.checkout import services as checkout
from orders.models import Cart, PaymentMethod


def fill_cart(customer, *items):
    """``items``: (part, quantity) or (part, quantity, packaging)."""
    owner = CartOwner(customer=customer)
    for item in items:
        part, quantity, *packaging = item
        cart_add_line(
            owner=owner,
            part_id=part.pk,
            quantity=quantity,
            packaging_id=packaging[0].pk if packaging else None,
        )
    return Cart.objects.get(customer=customer, checked_out_at__isnull=True)


def choices(address, method, **overrides) -> checkout.CheckoutChoices:
    data = {
        "address_id": address.pk,
        "shipping_method_id": method.pk,
        "payment_method": PaymentMethod.BANK_TRANSFER,
        "balance_amount": Decimal("0.00"),
        **overrides,
    }
    return checkout.CheckoutChoices(**data)


def quote(customer, picked: checkout.CheckoutChoices) -> checkout.CheckoutQuote:
    cart = Cart.objects.filter(customer=customer, checked_out_at__isnull=True).first()
    return checkout.checkout_quote(customer=customer, cart=cart, choices=picked)


def place(customer, picked: checkout.CheckoutChoices, *, key="form-1", token=None):
    seen = token if token is not None else quote(customer, picked).token
    return checkout.order_place(
        customer=customer, choices=picked, idempotency_key=key, seen_token=seen
    )
