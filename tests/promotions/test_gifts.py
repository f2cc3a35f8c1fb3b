"""Gift entitlements: stock taken once per source key, attached to the next order,
released or put back when an order is cancelled."""

import pytest

from promotions import gifts
from promotions.errors import GiftError, GiftOutOfStock
from promotions.models_gifts import Gift, GiftEntitlement, GiftEntitlementState, GiftSource
from tests.promotions.gift_factories import GiftFactory

pytestmark = pytest.mark.django_db


def _stock(gift) -> int:
    return Gift.objects.get(pk=gift.pk).stock


def test_entitling_a_customer_takes_one_piece_of_the_gift(customer):
    gift = GiftFactory(stock=3)

    entitlement = gifts.gift_entitle(
        customer=customer, gift=gift, source=GiftSource.DRAW, source_key="draw:1"
    )

    assert entitlement.state == GiftEntitlementState.PENDING
    assert _stock(gift) == 2


def test_the_same_source_key_entitles_once(customer):
    gift = GiftFactory(stock=3)

    first = gifts.gift_entitle(
        customer=customer, gift=gift, source=GiftSource.DRAW, source_key="draw:1"
    )
    again = gifts.gift_entitle(
        customer=customer, gift=gift, source=GiftSource.DRAW, source_key="draw:1"
    )

    assert again.pk == first.pk
    assert _stock(gift) == 2


def test_an_out_of_stock_gift_is_refused_with_a_clear_message(customer):
    gift = GiftFactory(name="Tweezers", stock=0)

    with pytest.raises(GiftOutOfStock, match="Tweezers.*out of stock"):
        gifts.gift_entitle(
            customer=customer, gift=gift, source=GiftSource.LEADERBOARD, source_key="lb:1"
        )
    assert not GiftEntitlement.objects.exists()


def test_an_inactive_gift_is_not_given(customer):
    gift = GiftFactory(stock=4, is_active=False)

    with pytest.raises(GiftOutOfStock):
        gifts.gift_entitle(
            customer=customer, gift=gift, source=GiftSource.DRAW, source_key="draw:2"
        )
    assert _stock(gift) == 4


def test_an_unknown_source_or_empty_key_is_refused(customer):
    gift = GiftFactory()
    with pytest.raises(GiftError):
        gifts.gift_entitle(customer=customer, gift=gift, source="raffle", source_key="x")
    with pytest.raises(GiftError):
        gifts.gift_entitle(customer=customer, gift=gift, source=GiftSource.DRAW, source_key=" ")
    assert _stock(gift) == 5


def test_pending_gifts_that_ship_with_an_order_are_attached_to_it(customer):
    rides = gifts.gift_entitle(
        customer=customer, gift=GiftFactory(), source=GiftSource.DRAW, source_key="d:1"
    )
    alone = gifts.gift_entitle(
        customer=customer,
        gift=GiftFactory(),
        source=GiftSource.DRAW,
        source_key="d:2",
        ship_alone=True,
    )

    attached = gifts.gifts_attach_to_order(customer=customer, order_reference="SO-1")

    assert [e.pk for e in attached] == [rides.pk]
    alone.refresh_from_db()
    assert alone.state == GiftEntitlementState.PENDING


def test_cancelling_the_order_releases_a_threshold_gift_and_keeps_others(customer):
    threshold_gift, drawn_gift = GiftFactory(stock=1), GiftFactory(stock=1)
    threshold = gifts.gift_entitle(
        customer=customer, gift=threshold_gift, source=GiftSource.THRESHOLD, source_key="o:SO-1"
    )
    drawn = gifts.gift_entitle(
        customer=customer, gift=drawn_gift, source=GiftSource.DRAW, source_key="d:1"
    )
    gifts.gifts_attach_to_order(customer=customer, order_reference="SO-1")

    gifts.gifts_order_cancelled(customer=customer, order_reference="SO-1")

    threshold.refresh_from_db()
    drawn.refresh_from_db()
    assert (threshold.state, _stock(threshold_gift)) == (GiftEntitlementState.RELEASED, 1)
    assert (drawn.state, drawn.order_reference, _stock(drawn_gift)) == (
        GiftEntitlementState.PENDING,
        "",
        0,
    )


def test_staff_mark_a_gift_that_ships_alone_as_shipped(customer):
    entitlement = gifts.gift_entitle(
        customer=customer,
        gift=GiftFactory(),
        source=GiftSource.POINTS_SHOP,
        source_key="shop:1",
        ship_alone=True,
    )

    gifts.gift_mark_shipped(entitlement_id=entitlement.pk, tracking="SF123")

    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.tracking) == (GiftEntitlementState.SHIPPED, "SF123")


def test_a_shipped_gift_cannot_be_released(customer):
    entitlement = gifts.gift_entitle(
        customer=customer,
        gift=GiftFactory(),
        source=GiftSource.POINTS_SHOP,
        source_key="shop:1",
        ship_alone=True,
    )
    gifts.gift_mark_shipped(entitlement_id=entitlement.pk)

    with pytest.raises(GiftError):
        gifts.gift_release(entitlement_id=entitlement.pk)
