"""Leaderboards: ranked by what customers paid in the period (refunds taken off), shown with
masked names, prizes given once when the period closes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import CustomerProfile, Notification, NotificationKind
from orders.models import Refund
from promotions import leaderboards
from promotions.draw_models import PrizeKind
from promotions.leaderboard_models import Leaderboard, LeaderboardAward, LeaderboardPrize
from promotions.models import Coupon
from tests.customers.factories import CustomerFactory
from tests.promotions.draw_helpers import order_row
from tests.promotions.factories import CouponDefinitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    now = timezone.now()
    return Leaderboard.objects.create(
        name="November top buyers",
        slug="november",
        starts_at=now - timedelta(days=30),
        ends_at=now + timedelta(days=1),
        is_published=True,
    )


def _prizes(board):
    LeaderboardPrize.objects.create(
        leaderboard=board, rank_from=1, rank_to=1, name="500 off", kind=PrizeKind.COUPON,
        coupon_definition=CouponDefinitionFactory(amount=Decimal("500.00")),
    )
    LeaderboardPrize.objects.create(
        leaderboard=board, rank_from=2, rank_to=3, name="1000 points", kind=PrizeKind.POINTS,
        points=1000,
    )


def _close(board):
    Leaderboard.objects.filter(pk=board.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    return leaderboards.leaderboards_close_due()


def test_customers_are_ranked_by_the_amount_they_paid_in_the_period(board):
    ada, bo, cy = CustomerFactory(), CustomerFactory(), CustomerFactory()
    order_row(ada, "300.00")
    order_row(bo, "200.00")
    order_row(bo, "200.00")
    order_row(cy, "900.00", paid_at=board.starts_at - timedelta(days=1))  # before the period
    order_row(cy, "900.00", status="awaiting_payment")

    standings = leaderboards.leaderboard_standings(board)

    assert [(s.customer_id, s.amount) for s in standings] == [
        (bo.pk, Decimal("400.00")),
        (ada.pk, Decimal("300.00")),
    ]


def test_refunds_inside_the_period_are_taken_off_and_refunded_orders_do_not_count(board):
    ada, bo = CustomerFactory(), CustomerFactory()
    big = order_row(ada, "500.00")
    Refund.objects.create(
        order=big, amount=Decimal("300.00"), destination="balance", status="succeeded",
        idempotency_key="r1", succeeded_at=timezone.now(),
    )
    order_row(bo, "250.00")
    order_row(bo, "999.00", status="refunded")

    standings = leaderboards.leaderboard_standings(board)

    assert [(s.customer_id, s.amount) for s in standings] == [
        (bo.pk, Decimal("250.00")),
        (ada.pk, Decimal("200.00")),
    ]


@pytest.mark.parametrize(
    ("first", "last", "email", "company", "shown"),
    [
        ("三", "张", "zhang@example.com", "", "张**"),
        ("Ada", "Lovelace", "ada@example.com", "", "A**"),
        ("", "", "alice@example.com", "", "a***@example.com"),
        ("Ada", "Lovelace", "ada@example.com", "Acme Robotics Ltd.", "A***"),
    ],
)
def test_the_public_page_shows_masked_names(client, board, first, last, email, company, shown):
    buyer = CustomerFactory(first_name=first, last_name=last, email=email)
    CustomerProfile.objects.filter(user=buyer).update(company_name=company)
    order_row(buyer, "120.00")

    page = client.get("/leaderboards/november/").content.decode()
    api = client.get("/api/v1/leaderboards/november/").json()

    assert shown in page
    assert email not in page and (not company or company not in page)
    assert api["standings"][0]["name"] == shown


def test_closing_gives_each_rank_its_prize_once_and_tells_the_winner(board):
    _prizes(board)
    buyers = [CustomerFactory() for _ in range(4)]
    for n, buyer in enumerate(buyers):
        order_row(buyer, f"{1000 - n * 100}.00", paid_at=timezone.now() - timedelta(hours=1))

    given = _close(board)
    again = _close(board)

    assert (given, again) == (3, 0)
    assert Coupon.objects.get().user == buyers[0]
    for buyer in buyers[1:3]:
        buyer.profile.refresh_from_db()
        assert buyer.profile.points == 1000
    assert LeaderboardAward.objects.count() == 3
    assert Notification.objects.filter(kind=NotificationKind.LEADERBOARD_PRIZE).count() == 3
    board.refresh_from_db()
    assert board.closed_at is not None


def test_a_leaderboard_still_running_gives_no_prizes(board):
    _prizes(board)
    order_row(CustomerFactory(), "100.00")

    assert leaderboards.leaderboards_close_due() == 0
    assert LeaderboardAward.objects.count() == 0


def test_an_unpublished_leaderboard_has_no_public_page(client, board):
    Leaderboard.objects.filter(pk=board.pk).update(is_published=False)

    assert client.get("/leaderboards/november/").status_code == 404
    assert client.get("/api/v1/leaderboards/november/").status_code == 404
