"""BOMs added to one cart at the same time, on real PostgreSQL connections."""

from decimal import Decimal

import pytest

from orders.bom import services
from orders.cart.services import CartItem, CartOwner, cart_add_lines
from orders.models import Cart, CartLine
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parts():
    made = []
    for mpn in ("RC0603FR-0710KL", "GRM155R71C104KA88D"):
        part = PartFactory(mpn=mpn)
        PriceBreakFactory(packaging=PackagingOptionFactory(part=part), unit_price=Decimal("0.01"))
        made.append(part)
    return made


def test_parallel_first_bulk_adds_open_one_cart_and_lose_no_pieces(parts):
    owner = CartOwner(session_key="new-visitor")
    items = [CartItem(part_id=part.pk, quantity=100) for part in parts]

    results = run_in_parallel(lambda i: cart_add_lines(owner=owner, items=items), 6)

    assert all(isinstance(r, list) for r in results), results
    assert Cart.objects.count() == 1
    assert sorted(CartLine.objects.values_list("quantity", flat=True)) == [600, 600]


def test_one_bom_added_to_a_customers_cart_twice_at_once_adds_up(parts):
    from orders.bom import reader

    customer = CustomerFactory()
    owner = CartOwner(customer=customer)
    table = reader.read_upload("bom.csv", b"MPN,Qty\nRC0603FR-0710KL,10\nGRM155R71C104KA88D,5\n")
    bom = services.bom_create(owner=owner, table=table)

    run_in_parallel(lambda i: services.bom_add_to_cart(bom=bom, owner=owner), 4)

    assert sorted(CartLine.objects.values_list("quantity", flat=True)) == [20, 40]
