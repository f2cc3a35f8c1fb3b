"""Points earned when an order is paid, by the promotions' earning rules, and taken back
when the paid order is cancelled and refunded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import CustomerProfile, PointsEntry, PointsEntryKind
from orders.lifecycle import services as lifecycle
from orders.models import PaymentMethod
from promotions.models import (
    PointsCampaign,
    PointsFirstOrderBonus,
    PointsMultiplier,
    PointsMultiplierScope,
)
from tests.factories import CategoryFactory, ManufacturerFactory
from tests.orders.payments_helpers import fund, place_order

pytestmark = pytest.mark.django_db

# 10,000 resistors at 0.0042 = 42.00 + 13 % VAT = 47.46; express shipping 13.56 incl. VAT.
GOODS, SHIPPING = Decimal("47.46"), Decimal("13.56")


def _paid_order(customer, part, key="form-1"):
    fund(customer, "500.00")
    order = place_order(
        customer, part, quantity=10000, key=key, payment_method=PaymentMethod.BALANCE
    )
    assert order.paid_at is not None
    return order


def _earned(customer, order) -> int:
    return PointsEntry.objects.get(
        user=customer, kind=PointsEntryKind.EARN, reference_id=order.reference
    ).points


def test_a_paid_order_earns_the_base_rate_on_the_money_paid(customer, resistor):
    order = _paid_order(customer, resistor)

    assert order.total == GOODS + SHIPPING
    assert _earned(customer, order) == 61


def test_parts_of_a_category_with_a_multiplier_earn_more(customer, resistor):
    PointsMultiplier.objects.create(
        scope=PointsMultiplierScope.CATEGORY, category=resistor.category, multiplier=3
    )

    order = _paid_order(customer, resistor)

    assert _earned(customer, order) == int(GOODS * 3 + SHIPPING)  # 155


def test_a_parent_category_multiplier_covers_its_subcategories(customer, resistor):
    parent = CategoryFactory(name="Resistors", slug="resistors")
    resistor.category.parent = parent
    resistor.category.save()
    resistor.category.refresh_from_db()
    assert resistor.category.path.startswith(parent.path + "/")
    PointsMultiplier.objects.create(
        scope=PointsMultiplierScope.CATEGORY, category=parent, multiplier=2
    )

    order = _paid_order(customer, resistor)

    assert _earned(customer, order) == int(GOODS * 2 + SHIPPING)


def test_a_manufacturer_multiplier_applies_and_the_highest_match_wins(customer, resistor):
    PointsMultiplier.objects.create(
        scope=PointsMultiplierScope.MANUFACTURER,
        manufacturer=resistor.manufacturer,
        multiplier=Decimal("1.5"),
    )
    PointsMultiplier.objects.create(
        scope=PointsMultiplierScope.CATEGORY, category=resistor.category, multiplier=2
    )
    PointsMultiplier.objects.create(
        scope=PointsMultiplierScope.MANUFACTURER,
        manufacturer=ManufacturerFactory(name="Murata"),
        multiplier=10,
    )

    order = _paid_order(customer, resistor)

    assert _earned(customer, order) == int(GOODS * 2 + SHIPPING)


def test_an_inactive_multiplier_earns_nothing_extra(customer, resistor):
    PointsMultiplier.objects.create(
        scope=PointsMultiplierScope.CATEGORY,
        category=resistor.category,
        multiplier=3,
        is_active=False,
    )

    assert _earned(customer, _paid_order(customer, resistor)) == 61


def test_the_first_paid_order_gets_the_bonus_and_the_next_does_not(customer, resistor):
    PointsFirstOrderBonus.objects.create(points=50)

    first = _paid_order(customer, resistor, key="form-1")
    second = _paid_order(customer, resistor, key="form-2")

    assert (_earned(customer, first), _earned(customer, second)) == (111, 61)


def test_a_campaign_multiplies_points_while_it_runs(customer, resistor):
    now = timezone.now()
    PointsCampaign.objects.create(
        name="Double points week",
        multiplier=2,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=6),
    )

    assert _earned(customer, _paid_order(customer, resistor)) == 122


def test_a_campaign_outside_its_period_does_not_count(customer, resistor):
    now = timezone.now()
    PointsCampaign.objects.create(
        name="Last month",
        multiplier=2,
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=10),
    )
    PointsCampaign.objects.create(
        name="Next month",
        multiplier=3,
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=40),
    )

    assert _earned(customer, _paid_order(customer, resistor)) == 61


def test_cancelling_a_paid_order_takes_back_the_points_it_earned(customer, resistor, staff):
    PointsMultiplier.objects.create(
        scope=PointsMultiplierScope.CATEGORY, category=resistor.category, multiplier=3
    )
    PointsFirstOrderBonus.objects.create(points=50)
    order = _paid_order(customer, resistor)
    assert CustomerProfile.objects.get(user=customer).points == 205

    lifecycle.order_cancel(order_id=order.pk, actor=staff, by_staff=True, reason="Refund")

    reversed_entry = PointsEntry.objects.get(user=customer, kind=PointsEntryKind.REVERSE)
    assert reversed_entry.points == -205
    assert CustomerProfile.objects.get(user=customer).points == 0
