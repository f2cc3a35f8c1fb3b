"""One cart, many simultaneous clicks on "Add to cart", on real PostgreSQL connections."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.pricing import Split
from orders.cart.services import (
    CartOwner,
    cart_add_line,
    cart_apply_reel_split,
    cart_set_packaging,
)
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


@pytest.fixture
def reeled_part(part):
    part.moq = part.order_multiple = 10
    part.save()
    PriceBreakFactory(
        packaging=part.packaging_options.get(), min_quantity=1000, unit_price=Decimal("0.0042")
    )
    reel = PackagingOptionFactory(part=part, kind="reel", reel_quantity=5000)
    PriceBreakFactory(packaging=reel, min_quantity=5000, unit_price=Decimal("0.0021"))
    return part


def test_a_double_click_on_the_full_reel_offer_splits_the_line_once(reeled_part):
    owner = CartOwner(session_key="visitor")
    line = cart_add_line(owner=owner, part_id=reeled_part.pk, quantity=5150)

    results = run_in_parallel(lambda i: cart_apply_reel_split(owner=owner, line_id=line.pk), 4)

    assert sum(isinstance(r, Split) for r in results) == 1, results
    assert all(isinstance(r, (Split, ValidationError)) for r in results), results
    assert sorted(CartLine.objects.values_list("quantity", flat=True)) == [150, 5000]


def test_parallel_packaging_changes_keep_every_piece(reeled_part):
    owner = CartOwner(session_key="visitor")
    reel = reeled_part.packaging_options.get(kind="reel")
    line = cart_add_line(owner=owner, part_id=reeled_part.pk, quantity=10000)
    cart_add_line(owner=owner, part_id=reeled_part.pk, quantity=5000, packaging_id=reel.pk)

    run_in_parallel(
        lambda i: cart_set_packaging(owner=owner, line_id=line.pk, packaging_id=reel.pk), 4
    )

    assert list(CartLine.objects.values_list("packaging", "quantity")) == [(reel.pk, 15000)]
