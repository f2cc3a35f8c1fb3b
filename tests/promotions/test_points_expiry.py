"""Points expiry: the account shows what expires when, and customers are reminded once per
earned batch before it expires."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from customers import selectors as customer_selectors
from customers import services as customer_services
from customers.models import Notification, NotificationKind, PointsEntry, PointsRule
from promotions.points import points_expiring_remind
from tests.promotions.factories import PASSWORD
from tests.promotions.gift_factories import give_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_months(db):
    rule = PointsRule.current()
    rule.expiry_months = 12
    rule.save()
    return rule


def _age(user, reference, *, expires_in_days):
    """Make the batch earned for ``reference`` expire ``expires_in_days`` from now."""
    PointsEntry.objects.filter(user=user, reference_id=reference).update(
        expires_at=timezone.now() + timedelta(days=expires_in_days)
    )


def test_spent_points_count_against_the_earliest_expiring_batch(customer, twelve_months):
    give_points(customer, 300, reference="SO-1")
    give_points(customer, 500, reference="SO-2")
    _age(customer, "SO-1", expires_in_days=10)
    _age(customer, "SO-2", expires_in_days=40)
    customer_services.points_redeem(
        user=customer, points=200, reference="shop", idempotency_key="r-1"
    )

    schedule = customer_selectors.points_expiry_schedule(user_id=customer.pk)

    assert [b.points for b in schedule] == [100, 500]


def test_a_batch_about_to_expire_is_reminded_once(customer, twelve_months):
    give_points(customer, 300, reference="SO-1")
    _age(customer, "SO-1", expires_in_days=5)

    first = points_expiring_remind(days=14)
    second = points_expiring_remind(days=14)

    assert (first, second) == (1, 0)
    message = Notification.objects.get(customer=customer)
    assert message.kind == NotificationKind.POINTS_EXPIRING
    assert "300" in message.subject


def test_a_batch_far_from_expiry_is_not_reminded_yet(customer, twelve_months):
    give_points(customer, 300, reference="SO-1")
    _age(customer, "SO-1", expires_in_days=60)

    assert points_expiring_remind(days=14) == 0
    assert not Notification.objects.exists()


def test_a_batch_already_spent_is_not_reminded(customer, twelve_months):
    give_points(customer, 300, reference="SO-1")
    _age(customer, "SO-1", expires_in_days=5)
    customer_services.points_redeem(
        user=customer, points=300, reference="shop", idempotency_key="r-1"
    )

    assert points_expiring_remind(days=14) == 0


def test_each_expiring_batch_gets_its_own_reminder(customer, twelve_months):
    give_points(customer, 300, reference="SO-1")
    give_points(customer, 200, reference="SO-2")
    _age(customer, "SO-1", expires_in_days=3)
    _age(customer, "SO-2", expires_in_days=9)

    assert points_expiring_remind(days=14) == 2
    assert points_expiring_remind(days=14) == 0


def test_the_points_page_shows_what_expires_when(client, customer, twelve_months):
    give_points(customer, 300, reference="SO-1")
    _age(customer, "SO-1", expires_in_days=5)
    client.login(email=customer.email, password=PASSWORD)

    page = client.get(reverse("customers:points")).content.decode()

    expires = timezone.localdate(timezone.now() + timedelta(days=5)).isoformat()
    assert "What expires when" in page and expires in page
    assert "/account/points/shop/" in page
