"""Lucky draws and segment campaigns under real concurrent connections (PostgreSQL)."""

import pytest
from django.test import Client

from promotions import draws, segments
from promotions.draw_models import Draw, DrawPrize, DrawState
from promotions.models import Coupon
from promotions.segment_models import CampaignDelivery, Segment, SegmentCampaign, SegmentRule
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory
from tests.promotions.draw_helpers import campaign, earn, one_draw
from tests.promotions.factories import CouponDefinitionFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_one_draw_is_consumed_once_by_ten_parallel_requests():
    customer = CustomerFactory()
    campaign(prizes=[("10 off", "100", 50)], no_prize="0")
    draw = one_draw(customer)
    clients = []
    for _ in range(10):
        c = Client()
        c.force_login(customer)
        clients.append(c)

    answers = run_in_parallel(
        lambda i: clients[i].post(f"/api/v1/account/draws/{draw.public_id}/play/"), 10
    )

    assert [a.status_code for a in answers] == [200] * 10, answers
    assert {a.json()["coupon"] for a in answers} == {Coupon.objects.get(user=customer).code}
    assert DrawPrize.objects.get().won == 1
    assert Draw.objects.get().state == DrawState.DRAWN


def test_the_last_unit_of_a_prize_is_won_at_most_once_by_parallel_draws():
    campaign(prizes=[("Oscilloscope", "100", 1)], no_prize="0")
    players = [CustomerFactory() for _ in range(10)]
    mine = [one_draw(player, f"SO-{n}") for n, player in enumerate(players)]

    results = run_in_parallel(
        lambda i: draws.draw_play(customer=players[i], public_id=mine[i].public_id), 10
    )

    assert all(isinstance(r, draws.DrawResult) for r in results), results
    winners = [r for r in results if r.draw.prize_id]
    assert len(winners) == 1
    assert DrawPrize.objects.get().won == 1
    assert Coupon.objects.count() == 1
    assert Draw.objects.filter(state=DrawState.DRAWN).count() == 10


def test_draws_of_one_order_earned_in_parallel_are_made_once():
    customer = CustomerFactory()
    campaign()

    run_in_parallel(lambda i: earn(customer, "SO-77", "700.00"), 8)

    assert Draw.objects.filter(order_reference="SO-77").count() == 2


def test_a_campaign_job_run_twice_in_parallel_issues_one_coupon_per_customer():
    buyers = [CustomerFactory() for _ in range(25)]
    sent = SegmentCampaign.objects.create(
        name="Welcome",
        segment=Segment.objects.create(name="New", rule=SegmentRule.REGISTERED_NO_ORDER),
        coupon_definition=CouponDefinitionFactory(),
        title="20 off",
        message="For your first order.",
    )

    results = run_in_parallel(lambda i: segments.segment_campaign_send(campaign_id=sent.pk), 2)

    assert sum(results) == 25, results
    assert Coupon.objects.count() == 25
    assert sorted(Coupon.objects.values_list("user_id", flat=True)) == sorted(b.pk for b in buyers)
    assert CampaignDelivery.objects.count() == 25


def test_the_last_piece_of_a_gift_prize_is_won_once_by_parallel_draws():
    from decimal import Decimal

    from promotions.draw_models import PrizeKind
    from promotions.models_gifts import Gift, GiftEntitlement
    from tests.promotions.gift_factories import GiftFactory

    gift = GiftFactory(stock=1)
    campaign(
        prizes=[{"name": "Sample kit", "kind": PrizeKind.GIFT, "gift": gift, "quantity": 20,
                 "probability": Decimal("100")}],
        no_prize="0",
    )
    players = [CustomerFactory() for _ in range(8)]
    mine = [one_draw(player, f"SO-{n}") for n, player in enumerate(players)]

    results = run_in_parallel(
        lambda i: draws.draw_play(customer=players[i], public_id=mine[i].public_id), 8
    )

    assert all(isinstance(r, draws.DrawResult) for r in results), results
    assert len([r for r in results if r.draw.prize_id]) == 1
    assert GiftEntitlement.objects.count() == 1
    assert Gift.objects.get().stock == 0
