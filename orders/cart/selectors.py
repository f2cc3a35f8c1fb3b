"""Reads of carts shaped for pages; always scoped to one owner."""

from ..models import Cart
from .services import CartOwner


def open_cart(*, owner: CartOwner | None) -> Cart | None:
    return owner.carts().first() if owner is not None else None
