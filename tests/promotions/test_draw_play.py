"""Earning and using lucky draws: once per order, once per draw, prizes land at once, and
a prize that has run out is never drawn."""

from decimal import Decimal

import pytest

from customers.models import Notification, NotificationKind, PointsEntry
from promotions import draws, fairness
from promotions.draw_models import Draw, DrawPrize, DrawState, PrizeKind
from promotions.errors import DrawUnavailable
from promotions.models import Coupon
from tests.promotions.draw_helpers import campaign, earn, end, one_draw

pytestmark = pytest.mark.django_db


def test_an_order_over_the_amount_earns_one_draw_and_one_more_per_further_step(customer):
    campaign(min_order_amount=Decimal("100.00"), step_amount=Decimal("500.00"))

    assert len(earn(customer, "SO-1", "99.99")) == 0
    assert len(earn(customer, "SO-2", "100.00")) == 1
    assert len(earn(customer, "SO-3", "1100.00")) == 3


def test_draws_per_order_stop_at_the_campaign_maximum(customer):
    campaign(step_amount=Decimal("10.00"), max_draws_per_order=4)

    assert len(earn(customer, "SO-1", "5000.00")) == 4


def test_earning_twice_for_the_same_order_makes_no_more_draws(customer):
    campaign()

    first = earn(customer, "SO-1", "700.00")
    again = earn(customer, "SO-1", "700.00")

    assert [d.pk for d in first] == [d.pk for d in again]
    assert Draw.objects.count() == 2


def test_unpublished_or_ended_campaigns_earn_nothing(customer):
    campaign(is_published=False)
    campaign(running=False)

    assert earn(customer) == []


def test_a_won_coupon_is_in_the_customers_account_at_once_and_they_are_told(customer):
    campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    draw = one_draw(customer)

    result = draws.draw_play(customer=customer, public_id=draw.public_id)

    coupon = Coupon.objects.get(user=customer)
    assert result.draw.coupon == coupon
    assert result.draw.prize.name == "10 off"
    assert DrawPrize.objects.get().won == 1
    note = Notification.objects.get(customer=customer, kind=NotificationKind.DRAW_PRIZE)
    assert coupon.code in note.body_text


def test_a_won_points_prize_is_on_the_points_balance_at_once(customer):
    campaign(
        prizes=[{"name": "500 points", "kind": PrizeKind.POINTS, "points": 500, "quantity": 3,
                 "probability": Decimal("100")}],
        no_prize="0",
    )
    draw = one_draw(customer)

    draws.draw_play(customer=customer, public_id=draw.public_id)

    customer.profile.refresh_from_db()
    assert customer.profile.points == 500
    assert PointsEntry.objects.get(user=customer).reference_id == draw.public_id


def test_drawing_again_gives_the_same_outcome_and_no_second_prize(customer):
    campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    draw = one_draw(customer)

    first = draws.draw_play(customer=customer, public_id=draw.public_id)
    second = draws.draw_play(customer=customer, public_id=draw.public_id)

    assert (first.fresh, second.fresh) == (True, False)
    assert second.draw.coupon == first.draw.coupon
    assert Coupon.objects.filter(user=customer).count() == 1


def test_the_outcome_is_the_one_the_seed_and_public_id_give(customer):
    c = campaign(prizes=[("A", "30", 1000), ("B", "20", 1000)], no_prize="50")
    for n in range(20):
        earn(customer, f"SO-{n}")

    for draw in Draw.objects.all():
        played = draws.draw_play(customer=customer, public_id=draw.public_id).draw
        roll = fairness.roll(c.seed, draw.public_id)
        assert played.roll == roll
        assert played.prize_id == fairness.pick(roll, played.odds)


def test_draws_after_a_prize_runs_out_never_yield_it(customer):
    c = campaign(prizes=[("Last unit", "90", 1)], no_prize="10")
    for n in range(40):
        earn(customer, f"SO-{n}")
    outcomes = [
        draws.draw_play(customer=customer, public_id=d.public_id).draw
        for d in Draw.objects.order_by("pk")
    ]

    winners = [d for d in outcomes if d.prize_id]
    assert len(winners) == 1
    after = outcomes[outcomes.index(winners[0]) + 1 :]
    assert after and all(d.prize_id is None and d.odds == [] for d in after)
    assert DrawPrize.objects.get(campaign=c).remaining == 0


def test_a_prize_out_of_stock_moves_its_share_to_no_prize_on_the_page(customer):
    c = campaign(prizes=[("Gone", "25", 1), ("Left", "25", 10)], no_prize="50")
    DrawPrize.objects.filter(name="Gone").update(won=1)

    page = draws.campaign_page_data(c)

    assert [(r.name, r.live_ppm, r.remaining) for r in page.rows] == [
        ("Gone", 0, 0),
        ("Left", 250_000, 10),
    ]
    assert page.no_prize_ppm == 750_000


def test_unused_draws_of_a_refunded_order_are_withdrawn_and_cannot_be_drawn(customer):
    campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    used, unused = earn(customer, "SO-9", "700.00")
    draws.draw_play(customer=customer, public_id=used.public_id)

    withdrawn = draws.draws_withdraw_for_order(customer=customer, order_reference="SO-9")

    assert withdrawn == 1
    used.refresh_from_db()
    assert used.state == DrawState.DRAWN
    with pytest.raises(DrawUnavailable, match="withdrawn"):
        draws.draw_play(customer=customer, public_id=unused.public_id)


def test_a_draw_cannot_be_used_after_the_campaign_ends(customer):
    c = campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    draw = one_draw(customer)
    end(c)

    with pytest.raises(DrawUnavailable, match="ended"):
        draws.draw_play(customer=customer, public_id=draw.public_id)
    draw.refresh_from_db()
    assert draw.state == DrawState.AVAILABLE
    assert Coupon.objects.count() == 0


def test_a_prize_whose_coupon_cannot_be_issued_leaves_the_draw_unused(customer):
    c = campaign(prizes=[("10 off", "100", 5)], no_prize="0")
    c.prizes.get().coupon_definition.__class__.objects.update(is_active=False)
    draw = one_draw(customer)

    with pytest.raises(DrawUnavailable):
        draws.draw_play(customer=customer, public_id=draw.public_id)

    draw.refresh_from_db()
    assert draw.state == DrawState.AVAILABLE
    assert DrawPrize.objects.get().won == 0


def test_another_customers_draw_is_not_found(customer, other_customer):
    campaign()
    draw = one_draw(customer)

    with pytest.raises(draws.DrawNotFound):
        draws.draw_play(customer=other_customer, public_id=draw.public_id)
