"""Points under real concurrent connections (PostgreSQL)."""

import pytest
from django.db.models import Sum

from customers import services
from customers.errors import InsufficientPoints
from customers.models import CustomerProfile, PointsEntry
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_parallel_redemptions_never_take_points_below_zero():
    user = CustomerFactory()
    services.points_earn_for_order(user=user, order_reference="SO-1", amount_paid=500)

    results = run_in_parallel(
        lambda i: services.points_redeem(
            user=user, points=100, reference=f"gift-{i}", idempotency_key=f"redeem-{i}"
        ),
        12,
    )

    redeemed = [r for r in results if isinstance(r, PointsEntry)]
    refused = [r for r in results if isinstance(r, InsufficientPoints)]
    assert (len(redeemed), len(refused)) == (5, 7)
    assert CustomerProfile.objects.get(user=user).points == 0
    assert PointsEntry.objects.filter(user=user).aggregate(s=Sum("points"))["s"] == 0


def test_order_points_earned_in_parallel_are_credited_once():
    user = CustomerFactory()

    results = run_in_parallel(
        lambda i: services.points_earn_for_order(
            user=user, order_reference="SO-7", amount_paid=250
        ),
        8,
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert CustomerProfile.objects.get(user=user).points == 250
