"""Gift prizes of lucky draws and leaderboards: owed to the winner at once, riding with the
next order or shipped on their own; a gift out of stock is never drawn."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import Notification, NotificationKind
from promotions import draws, leaderboards
from promotions.draw_models import Draw, DrawPrize, PrizeKind
from promotions.leaderboard_models import Leaderboard, LeaderboardPrize
from promotions.models_gifts import Gift, GiftEntitlement, GiftSource
from tests.customers.factories import CustomerFactory
from tests.promotions.draw_helpers import campaign, earn, one_draw, order_row
from tests.promotions.gift_factories import GiftFactory

pytestmark = pytest.mark.django_db


def _gift_prize(gift, *, alone=False, quantity=5):
    return {
        "name": "Sample kit",
        "kind": PrizeKind.GIFT,
        "gift": gift,
        "gift_ships_alone": alone,
        "quantity": quantity,
        "probability": Decimal("100"),
    }


def test_a_won_gift_is_owed_to_the_winner_and_rides_with_the_next_order(customer):
    gift = GiftFactory(stock=3)
    campaign(prizes=[_gift_prize(gift)], no_prize="0")
    draw = one_draw(customer)

    played = draws.draw_play(customer=customer, public_id=draw.public_id).draw

    entitlement = GiftEntitlement.objects.get(customer=customer)
    assert played.gift_entitlement == entitlement
    assert (entitlement.source, entitlement.source_key) == (GiftSource.DRAW, draw.public_id)
    assert entitlement.ship_alone is False
    assert Gift.objects.get().stock == 2
    note = Notification.objects.get(kind=NotificationKind.DRAW_PRIZE)
    assert "will ship free with your next order" in note.body_text


def test_a_gift_prize_can_ship_on_its_own(customer):
    campaign(prizes=[_gift_prize(GiftFactory(), alone=True)], no_prize="0")
    draw = one_draw(customer)

    draws.draw_play(customer=customer, public_id=draw.public_id)

    assert GiftEntitlement.objects.get().ship_alone is True


def test_a_gift_out_of_stock_is_never_drawn_and_its_share_goes_to_no_prize(customer):
    c = campaign(prizes=[_gift_prize(GiftFactory(stock=1), quantity=50)], no_prize="0")
    for n in range(5):
        earn(customer, f"SO-{n}")

    outcomes = [
        draws.draw_play(customer=customer, public_id=d.public_id).draw.prize_id
        for d in Draw.objects.order_by("pk")
    ]

    assert outcomes.count(DrawPrize.objects.get().pk) == 1
    assert draws.campaign_page_data(c).no_prize_ppm == 1_000_000
    assert GiftEntitlement.objects.count() == 1


def test_a_leaderboard_gift_prize_is_owed_to_the_winner_once(db):
    now = timezone.now()
    board = Leaderboard.objects.create(
        name="Top", slug="top", starts_at=now - timedelta(days=3), ends_at=now, is_published=True
    )
    LeaderboardPrize.objects.create(
        leaderboard=board, rank_from=1, rank_to=1, name="Sample kit", kind=PrizeKind.GIFT,
        gift=GiftFactory(),
    )
    winner = CustomerFactory()
    order_row(winner, "300.00", paid_at=now - timedelta(days=1))

    leaderboards.leaderboards_close_due()
    leaderboards.leaderboards_close_due()

    entitlement = GiftEntitlement.objects.get()
    assert (entitlement.customer, entitlement.source) == (winner, GiftSource.LEADERBOARD)
