"""An anonymous visitor's first "Add to cart", clicked many times at once from one browser,
through the cart page's view on real PostgreSQL connections."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from orders.models import Cart, CartLine
from tests.concurrency.parallel import run_in_parallel
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory, StockFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CLICKS = 20


@pytest.fixture
def part():
    part = PartFactory(mpn="RC0603FR-0710KL", moq=10, order_multiple=10)
    StockFactory(part=part, on_hand=100000)
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part), unit_price=Decimal("0.012"))
    return part


def test_parallel_first_adds_from_one_session_make_one_cart_with_every_piece(part):
    # given: a visitor whose session is already saved (they opened a page that wrote it)
    session_key = Client().session.session_key

    def click(i):
        browser = Client()
        browser.cookies[settings.SESSION_COOKIE_NAME] = session_key
        return browser.post("/cart/add/", {"part": part.pk, "quantity": "10"})

    # when: twenty first adds arrive at once, each on its own connection
    results = run_in_parallel(click, CLICKS)

    # then: one cart, one line, holding every piece an answer said was added
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    added = [r for r in results if r.status_code == 302 and r["Location"] == "/cart/"]
    assert len(added) == CLICKS, [r.status_code for r in results]
    assert Cart.objects.count() == 1
    assert CartLine.objects.get().quantity == 10 * len(added)
