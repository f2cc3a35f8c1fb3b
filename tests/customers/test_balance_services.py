from decimal import Decimal

import pytest
from django.db.models import Sum

from customers import services
from customers.errors import InsufficientBalance, InvalidAmount
from customers.models import BalanceAdjustment, BalanceEntry, BalanceEntryKind, CustomerProfile

pytestmark = pytest.mark.django_db


def balance_of(user):
    return CustomerProfile.objects.get(user=user).balance


def test_credit_adds_an_entry_and_moves_the_cached_balance(customer):
    entry = services.balance_credit(user=customer, amount=Decimal("12.50"), idempotency_key="r1")

    assert entry.amount == Decimal("12.50")
    assert entry.balance_after == Decimal("12.50")
    assert balance_of(customer) == Decimal("12.50")


def test_debit_beyond_the_balance_is_refused_and_writes_nothing(customer):
    services.balance_credit(user=customer, amount=Decimal("5.00"), idempotency_key="r1")

    with pytest.raises(InsufficientBalance):
        services.balance_debit(user=customer, amount=Decimal("5.01"), idempotency_key="o1")

    assert balance_of(customer) == Decimal("5.00")
    assert BalanceEntry.objects.filter(user=customer).count() == 1


def test_repeated_debit_key_returns_the_first_entry_and_debits_once(customer):
    services.balance_credit(user=customer, amount=Decimal("50.00"), idempotency_key="r1")

    first = services.balance_debit(user=customer, amount=Decimal("20.00"), idempotency_key="o1")
    again = services.balance_debit(user=customer, amount=Decimal("20.00"), idempotency_key="o1")

    assert again.pk == first.pk
    assert balance_of(customer) == Decimal("30.00")


def test_debit_records_the_payment_kind_and_reference(customer):
    services.balance_credit(user=customer, amount=Decimal("50.00"), idempotency_key="r1")

    entry = services.balance_debit(
        user=customer,
        amount=Decimal("20.00"),
        idempotency_key="o1",
        reference_type="order",
        reference_id="SO-1001",
    )

    assert (entry.kind, entry.reference_type, entry.reference_id) == (
        BalanceEntryKind.PAYMENT,
        "order",
        "SO-1001",
    )
    assert entry.amount == Decimal("-20.00")


@pytest.mark.parametrize("amount", ["0", "-5", "1.234", "abc", "NaN"])
def test_zero_negative_fractional_cent_or_garbage_amounts_are_refused(customer, amount):
    with pytest.raises(InvalidAmount):
        services.balance_credit(user=customer, amount=amount, idempotency_key="x")


def test_ledger_always_sums_to_the_cached_balance(customer):
    services.balance_credit(user=customer, amount=Decimal("100.00"), idempotency_key="a")
    services.balance_debit(user=customer, amount=Decimal("33.33"), idempotency_key="b")
    services.balance_credit(user=customer, amount=Decimal("3.33"), idempotency_key="c")

    total = BalanceEntry.objects.filter(user=customer).aggregate(s=Sum("amount"))["s"]
    assert total == balance_of(customer) == Decimal("70.00")


def test_staff_adjustment_is_recorded_with_staff_and_reason(customer, admin_user):
    adjustment = services.balance_adjust(
        user=customer, amount=Decimal("15.00"), reason="Goodwill for late parcel", staff=admin_user
    )

    assert adjustment.entry.created_by == admin_user
    assert adjustment.entry.kind == BalanceEntryKind.ADJUSTMENT
    assert balance_of(customer) == Decimal("15.00")


def test_staff_adjustment_without_a_reason_is_refused(customer, admin_user):
    with pytest.raises(InvalidAmount):
        services.balance_adjust(
            user=customer, amount=Decimal("15.00"), reason=" ", staff=admin_user
        )

    assert not BalanceAdjustment.objects.exists()


def test_negative_staff_adjustment_cannot_take_the_balance_below_zero(customer, admin_user):
    with pytest.raises(InsufficientBalance):
        services.balance_adjust(
            user=customer, amount=Decimal("-1.00"), reason="Correction", staff=admin_user
        )
    assert balance_of(customer) == Decimal("0.00")
