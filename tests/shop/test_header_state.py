"""/header-state/: what the header of a page every visitor shares (the part page) shows of
this visitor, fetched by static/js/header-state.js and never cached."""

import pytest
from django.test import Client

from tests.customers.factories import CustomerFactory
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory, StockFactory

pytestmark = pytest.mark.django_db


def state(client):
    return client.get("/header-state/", secure=True)


@pytest.fixture
def part():
    part = PartFactory()
    StockFactory(part=part, on_hand=5000)
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part), min_quantity=1)
    return part


def test_anonymous_visitor_is_signed_out_with_an_empty_cart_and_gets_no_cookie():
    response = state(Client())

    assert response.json() == {
        "signed_in": False, "staff": False, "cart_lines": 0, "unread_messages": 0,
    }
    assert dict(response.cookies) == {}


def test_signed_in_customer_is_named_signed_in_with_a_sign_out_token():
    client = Client()
    client.force_login(CustomerFactory())

    body = state(client).json()

    assert body["signed_in"] is True and body["staff"] is False
    assert body["csrf_token"]


def test_staff_member_gets_the_admin_link():
    client = Client()
    client.force_login(CustomerFactory(is_staff=True))

    assert state(client).json()["staff"] is True


def test_visitor_with_a_cart_gets_its_line_count(part):
    client = Client()
    client.post("/cart/add/", {"part": part.pk, "quantity": "150"}, secure=True)

    assert state(client).json()["cart_lines"] == 1


def test_unread_messages_are_counted_for_the_signed_in_customer():
    from customers.models import NotificationKind
    from customers.notifications import notify

    customer = CustomerFactory()
    notify(
        customer=customer, kind=NotificationKind.CAMPAIGN, dedup_key="test:1",
        context={"title": "Reel offer", "message": "Offer"},
    )
    client = Client()
    client.force_login(customer)

    assert state(client).json()["unread_messages"] == 1


@pytest.mark.parametrize("signed_in", [False, True])
def test_header_state_is_never_cached(signed_in):
    client = Client()
    if signed_in:
        client.force_login(CustomerFactory())

    response = state(client)

    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag") and not response.has_header("xkey")
