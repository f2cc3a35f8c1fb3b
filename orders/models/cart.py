"""Carts: the parts a customer or an anonymous visitor is about to order.

A cart belongs to a signed-in customer or, before they sign in, to an anonymous visitor
whose session holds the cart's key; each owner has at most one open cart (a database
constraint). Cart lines hold what was chosen — part, packaging, quantity — and are priced
when shown, from the part's current price breaks, by ``orders.cart.services.cart_price``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Cart(models.Model):
    """The parts a customer (or an anonymous visitor) is about to order."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    session_key = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="Key kept in an anonymous visitor's session; it survives the session id "
        "changing at sign-in, when the cart is merged into the customer's.",
    )
    checked_out_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the cart became an order; empty while open."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | ~Q(session_key=""),
                name="orders_cart_has_owner",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(customer__isnull=False, checked_out_at__isnull=True),
                name="orders_cart_one_open_per_customer",
            ),
            models.UniqueConstraint(
                fields=["session_key"],
                condition=Q(customer__isnull=True, checked_out_at__isnull=True),
                name="orders_cart_one_open_per_session",
            ),
        ]

    def __str__(self) -> str:
        owner = self.customer if self.customer_id else "anonymous visitor"
        return f"Cart #{self.pk} of {owner}"


class CartLine(models.Model):
    """A part in a cart: no packaging means the part's main price ladder (cut tape, or the
    first packaging that is not a full reel)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey("catalog.Part", on_delete=models.CASCADE, related_name="+")
    packaging = models.ForeignKey(
        "catalog.PackagingOption",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    quantity = models.PositiveIntegerField()
    quote_line = models.ForeignKey(
        "orders.InquiryLine",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart_lines",
        help_text="The quote line this line buys, at its price and quantity only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cart", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_cartline_quantity_positive"
            ),
            # Two partial constraints, as NULL packaging never equals another NULL.
            models.UniqueConstraint(
                fields=["cart", "part"],
                condition=Q(packaging__isnull=True, quote_line__isnull=True),
                name="orders_cartline_unique_part",
            ),
            models.UniqueConstraint(
                fields=["cart", "part", "packaging"],
                condition=Q(packaging__isnull=False, quote_line__isnull=True),
                name="orders_cartline_unique_part_packaging",
            ),
            # A quote line goes into one cart, once: it is bought once.
            models.UniqueConstraint(
                fields=["quote_line"],
                condition=Q(quote_line__isnull=False),
                name="orders_cartline_quote_line_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × part {self.part_id}"
