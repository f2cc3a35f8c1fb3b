from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers import services
from customers.errors import InsufficientPoints
from customers.models import CustomerProfile, PointsEntry, PointsEntryKind, PointsRule

pytestmark = pytest.mark.django_db


def points_of(user):
    return CustomerProfile.objects.get(user=user).points


def test_order_earns_one_point_per_unit_paid_rounded_down(customer):
    entry = services.points_earn_for_order(
        user=customer, order_reference="SO-1", amount_paid=Decimal("123.99")
    )

    assert entry.points == 123
    assert points_of(customer) == 123


def test_operations_rate_from_the_points_rule_applies(customer):
    PointsRule.objects.update_or_create(pk=1, defaults={"points_per_unit": Decimal("2.5")})

    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=10)

    assert points_of(customer) == 25


def test_same_order_earns_once(customer):
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=100)
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=100)

    assert points_of(customer) == 100


def test_refund_reverses_the_order_points_once(customer):
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=100)

    services.points_reverse_for_order(user=customer, order_reference="SO-1")
    services.points_reverse_for_order(user=customer, order_reference="SO-1")

    assert points_of(customer) == 0
    assert PointsEntry.objects.filter(kind=PointsEntryKind.REVERSE).count() == 1


def test_reversal_takes_back_only_what_is_left(customer):
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=100)
    services.points_redeem(user=customer, points=70, reference="gift", idempotency_key="r1")

    entry = services.points_reverse_for_order(user=customer, order_reference="SO-1")

    assert entry.points == -30
    assert points_of(customer) == 0


def test_redeeming_more_than_held_is_refused(customer):
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=50)

    with pytest.raises(InsufficientPoints):
        services.points_redeem(user=customer, points=51, reference="gift", idempotency_key="r1")
    assert points_of(customer) == 50


def test_repeated_redeem_key_redeems_once(customer):
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=50)

    services.points_redeem(user=customer, points=20, reference="gift", idempotency_key="r1")
    services.points_redeem(user=customer, points=20, reference="gift", idempotency_key="r1")

    assert points_of(customer) == 30


def test_earned_points_get_an_expiry_date_when_the_rule_sets_months(customer):
    PointsRule.objects.update_or_create(
        pk=1, defaults={"points_per_unit": Decimal("1"), "expiry_months": 12}
    )

    entry = services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=10)

    assert entry.expires_at.date() > (timezone.now() + timedelta(days=360)).date()


def test_expiry_removes_unspent_expired_points_once(customer):
    PointsRule.objects.update_or_create(
        pk=1, defaults={"points_per_unit": Decimal("1"), "expiry_months": 1}
    )
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=100)
    services.points_redeem(user=customer, points=40, reference="gift", idempotency_key="r1")
    later = timezone.now() + timedelta(days=40)

    services.points_expire_due(now=later)
    services.points_expire_due(now=later)

    assert points_of(customer) == 0
    assert PointsEntry.objects.filter(kind=PointsEntryKind.EXPIRE).count() == 1


def test_expiry_keeps_points_not_yet_due(customer):
    PointsRule.objects.update_or_create(
        pk=1, defaults={"points_per_unit": Decimal("1"), "expiry_months": 1}
    )
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=100)

    services.points_expire_due(now=timezone.now() + timedelta(days=10))

    assert points_of(customer) == 100


def test_expire_points_task_is_safe_to_run_twice(customer):
    from customers.tasks import expire_points

    PointsRule.objects.update_or_create(
        pk=1, defaults={"points_per_unit": Decimal("1"), "expiry_months": 1}
    )
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=100)
    PointsEntry.objects.update(expires_at=timezone.now() - timedelta(days=1))

    expire_points()
    expire_points()

    assert points_of(customer) == 0
