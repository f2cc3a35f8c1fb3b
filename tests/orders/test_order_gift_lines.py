"""Gifts at checkout: the cart says how far a spend-threshold gift is, a qualifying order
gets it as a free line, gifts owed ride with the next order, and cancelling gives them back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import PointsEntry, PointsEntryKind
from orders.lifecycle import services as lifecycle
from orders.models import PaymentMethod
from promotions import gifts
from promotions.models import Gift, GiftEntitlement, GiftEntitlementState, GiftSource, ThresholdGift
from tests.orders.checkout_helpers import fill_cart
from tests.orders.payments_helpers import fund, place_order
from tests.promotions.gift_factories import GiftFactory

pytestmark = pytest.mark.django_db


def _threshold(gift, spend="40.00", **fields):
    now = timezone.now()
    return ThresholdGift.objects.create(
        name="Sample book over 40",
        gift=gift,
        minimum_spend=Decimal(spend),
        starts_at=fields.pop("starts_at", now - timedelta(days=1)),
        ends_at=fields.pop("ends_at", now + timedelta(days=7)),
        **fields,
    )


def _cart_page(client, customer):
    client.force_login(customer)
    return client.get(reverse("orders:cart")).content.decode()


def test_the_cart_says_how_much_more_earns_the_gift(client, customer, resistor):
    _threshold(GiftFactory(name="Sample book"), spend="40.00")
    fill_cart(customer, (resistor, 1000))  # 1,000 × 0.0042 = 4.20

    text = _cart_page(client, customer)

    assert "Add CNY 35.80 more (excl. VAT) to get Sample book free." in text


def test_the_cart_says_the_gift_comes_with_this_order_when_reached(client, customer, resistor):
    _threshold(GiftFactory(name="Sample book"), spend="40.00")
    fill_cart(customer, (resistor, 10000))  # 42.00

    assert "You get Sample book free with this order." in _cart_page(client, customer)


def test_the_hint_disappears_when_the_gift_runs_out(client, customer, resistor):
    _threshold(GiftFactory(name="Sample book", stock=0), spend="40.00")
    fill_cart(customer, (resistor, 10000))

    assert "Sample book" not in _cart_page(client, customer)


def test_a_promotion_outside_its_period_shows_nothing(client, customer, resistor):
    now = timezone.now()
    _threshold(
        GiftFactory(name="Sample book"),
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
    )
    fill_cart(customer, (resistor, 10000))

    assert "Sample book" not in _cart_page(client, customer)


def test_a_qualifying_order_gets_the_gift_as_a_free_line(customer, resistor):
    gift = GiftFactory(name="Sample book", stock=2)
    _threshold(gift, spend="40.00")

    order = place_order(customer, resistor, quantity=10000)

    gift_line = order.lines.get(is_gift=True)
    assert (gift_line.mpn, gift_line.unit_price, gift_line.vat, gift_line.gross) == (
        "Sample book",
        0,
        0,
        0,
    )
    assert "Free gift" in gift_line.description
    assert order.subtotal == Decimal("42.00")
    assert Gift.objects.get(pk=gift.pk).stock == 1
    entitlement = GiftEntitlement.objects.get(customer=customer)
    assert (entitlement.source, entitlement.state, entitlement.order_reference) == (
        GiftSource.THRESHOLD,
        GiftEntitlementState.ATTACHED,
        order.reference,
    )


def test_an_order_below_the_threshold_gets_no_gift(customer, resistor):
    _threshold(GiftFactory(stock=2), spend="40.00")

    order = place_order(customer, resistor, quantity=1000)

    assert not order.lines.filter(is_gift=True).exists()


def test_when_the_gift_has_run_out_the_order_gets_none(customer, resistor):
    _threshold(GiftFactory(stock=0), spend="40.00")

    order = place_order(customer, resistor, quantity=10000)

    assert not order.lines.filter(is_gift=True).exists()
    assert not GiftEntitlement.objects.exists()


def test_the_last_gift_goes_to_one_order_and_the_next_gets_none(customer, other_customer, resistor):
    _threshold(GiftFactory(stock=1), spend="40.00")

    first = place_order(customer, resistor, quantity=10000)
    second = place_order(other_customer, resistor, quantity=10000)

    assert first.lines.filter(is_gift=True).count() == 1
    assert not second.lines.filter(is_gift=True).exists()


def test_cancelling_the_unpaid_order_gives_the_gift_back(customer, resistor):
    gift = GiftFactory(stock=1)
    _threshold(gift, spend="40.00")
    order = place_order(customer, resistor, quantity=10000)

    lifecycle.order_cancel(order_id=order.pk, actor=customer, reason="Changed my mind")

    assert Gift.objects.get(pk=gift.pk).stock == 1
    assert GiftEntitlement.objects.get().state == GiftEntitlementState.RELEASED


def test_a_gift_owed_ships_with_the_next_order(customer, resistor):
    owed = gifts.gift_entitle(
        customer=customer,
        gift=GiftFactory(name="Tweezers"),
        source=GiftSource.POINTS_SHOP,
        source_key="shop:1",
    )

    order = place_order(customer, resistor, quantity=150)

    assert order.lines.get(is_gift=True).mpn == "Tweezers"
    owed.refresh_from_db()
    assert (owed.state, owed.order_reference) == (GiftEntitlementState.ATTACHED, order.reference)


def test_a_gift_owed_waits_for_the_next_order_again_when_this_one_is_cancelled(
    customer, resistor
):
    owed = gifts.gift_entitle(
        customer=customer, gift=GiftFactory(), source=GiftSource.DRAW, source_key="draw:1"
    )
    order = place_order(customer, resistor, quantity=150)

    lifecycle.order_cancel(order_id=order.pk, actor=customer, reason="Wrong address")

    owed.refresh_from_db()
    assert (owed.state, owed.order_reference) == (GiftEntitlementState.PENDING, "")


def test_a_gift_that_ships_alone_is_not_added_to_orders(customer, resistor):
    gifts.gift_entitle(
        customer=customer,
        gift=GiftFactory(),
        source=GiftSource.POINTS_SHOP,
        source_key="shop:1",
        ship_alone=True,
    )

    order = place_order(customer, resistor, quantity=150)

    assert not order.lines.filter(is_gift=True).exists()


def test_gift_lines_earn_no_points_and_leave_the_totals_alone(customer, resistor):
    gift_part_gift = GiftFactory(part=resistor, stock=3)
    _threshold(gift_part_gift, spend="40.00")
    fund(customer, "500.00")

    order = place_order(
        customer, resistor, quantity=10000, payment_method=PaymentMethod.BALANCE
    )

    gift_line = order.lines.get(is_gift=True)
    assert (gift_line.part_id, gift_line.mpn) == (None, resistor.mpn)
    assert order.total == Decimal("61.02")
    earned = PointsEntry.objects.get(user=customer, kind=PointsEntryKind.EARN)
    assert earned.points == 61


def test_the_order_page_marks_the_gift_line(client, customer, resistor):
    _threshold(GiftFactory(name="Sample book"), spend="40.00")
    order = place_order(customer, resistor, quantity=10000)
    client.force_login(customer)

    page = client.get(reverse("orders:order-detail", args=[order.reference])).content.decode()

    assert "Free gift" in page and "Sample book" in page
