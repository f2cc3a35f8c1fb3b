import re
from decimal import Decimal

import pytest

from customers import services
from customers.errors import InvalidAmount, InvalidTopUpState
from customers.models import BalanceEntry, CustomerProfile, TopUpStatus
from tests.customers.factories import TopUpBonusTierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiers():
    TopUpBonusTierFactory(min_amount=Decimal("300.00"), bonus=Decimal("50.00"))
    TopUpBonusTierFactory(min_amount=Decimal("500.00"), bonus=Decimal("80.00"))


@pytest.mark.parametrize(
    ("amount", "bonus"),
    [
        ("299.99", "0.00"),
        ("300.00", "50.00"),
        ("499.99", "50.00"),
        ("500.00", "80.00"),
        ("5000", "80.00"),
    ],
)
def test_highest_bonus_tier_reached_applies(tiers, amount, bonus):
    assert services.top_up_bonus_for(Decimal(amount)) == Decimal(bonus)


def test_inactive_tier_gives_no_bonus(tiers):
    from customers.models import TopUpBonusTier

    TopUpBonusTier.objects.filter(min_amount=Decimal("500.00")).update(is_active=False)

    assert services.top_up_bonus_for(Decimal("600")) == Decimal("50.00")


def test_new_top_up_awaits_transfer_with_a_human_reference(customer, tiers):
    top_up = services.top_up_create(user=customer, amount=Decimal("500"))

    assert top_up.status == TopUpStatus.AWAITING_TRANSFER
    assert re.fullmatch(r"TU-[2-9A-HJKMNP-Z]{6}", top_up.reference)
    assert top_up.bonus == Decimal("80.00")


def test_top_up_does_not_move_the_balance_before_confirmation(customer, tiers):
    services.top_up_create(user=customer, amount=Decimal("500"))

    assert CustomerProfile.objects.get(user=customer).balance == Decimal("0")


def test_top_up_above_the_maximum_is_refused(customer):
    with pytest.raises(InvalidAmount, match="at most"):
        services.top_up_create(user=customer, amount=Decimal("1000000.01"))


def test_confirmation_credits_amount_and_bonus(customer, tiers, admin_user):
    top_up = services.top_up_create(user=customer, amount=Decimal("300"))

    services.top_up_confirm(top_up_id=top_up.pk, confirmed_by=admin_user)

    assert CustomerProfile.objects.get(user=customer).balance == Decimal("350.00")
    top_up.refresh_from_db()
    assert (top_up.status, top_up.confirmed_by) == (TopUpStatus.CONFIRMED, admin_user)


def test_confirming_twice_credits_once(customer, tiers):
    top_up = services.top_up_create(user=customer, amount=Decimal("300"))

    services.top_up_confirm(top_up_id=top_up.pk)
    services.top_up_confirm(top_up_id=top_up.pk)

    assert BalanceEntry.objects.filter(user=customer).count() == 2
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("350.00")


def test_cancelled_top_up_cannot_be_confirmed(customer):
    top_up = services.top_up_create(user=customer, amount=Decimal("100"))
    services.top_up_cancel(top_up_id=top_up.pk)

    with pytest.raises(InvalidTopUpState):
        services.top_up_confirm(top_up_id=top_up.pk)


def test_repeated_top_up_key_returns_the_first_top_up(customer):
    first = services.top_up_create(user=customer, amount=Decimal("100"), idempotency_key="k1")
    again = services.top_up_create(user=customer, amount=Decimal("100"), idempotency_key="k1")

    assert first.pk == again.pk
