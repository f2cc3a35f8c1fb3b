"""One cart, many simultaneous clicks on "Add to cart", on real PostgreSQL connections."""

from decimal import Decimal

import pytest

from orders.cart.services import CartOwner, cart_add_line
from orders.models import Cart, CartLine
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def part():
    part = PartFactory(mpn="RC0603FR-0710KL")
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part), unit_price=Decimal("0.012"))
    return part


def test_parallel_first_adds_open_one_cart_and_lose_no_pieces(part):
    owner = CartOwner(session_key="new-visitor")

    results = run_in_parallel(
        lambda i: cart_add_line(owner=owner, part_id=part.pk, quantity=100), 8
    )

    assert all(isinstance(r, CartLine) for r in results), results
    assert Cart.objects.count() == 1
    assert CartLine.objects.get().quantity == 800


def test_parallel_adds_to_a_customers_cart_add_up(part):
    owner = CartOwner(customer=CustomerFactory())
    cart_add_line(owner=owner, part_id=part.pk, quantity=10)

    run_in_parallel(lambda i: cart_add_line(owner=owner, part_id=part.pk, quantity=10), 8)

    assert CartLine.objects.get().quantity == 90
