"""The balance under real concurrent connections (PostgreSQL)."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from customers import services
from customers.errors import InsufficientBalance
from customers.models import BalanceEntry, BalanceEntryKind, CustomerProfile, TopUpBonusTier
from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_twenty_parallel_debits_never_take_the_balance_below_zero():
    # given a balance of 100 and 20 customers' tabs each paying 10
    user = CustomerFactory()
    services.balance_credit(user=user, amount=Decimal("100.00"), idempotency_key="seed")

    # when they all pay at once
    results = run_in_parallel(
        lambda i: services.balance_debit(
            user=user, amount=Decimal("10.00"), idempotency_key=f"order-{i}"
        ),
        20,
    )

    # then exactly 10 succeed, the rest are refused and the ledger sums to the balance
    paid = [r for r in results if isinstance(r, BalanceEntry)]
    refused = [r for r in results if isinstance(r, InsufficientBalance)]
    assert (len(paid), len(refused)) == (10, 10)
    profile = CustomerProfile.objects.get(user=user)
    assert profile.balance == Decimal("0.00")
    assert BalanceEntry.objects.filter(user=user).aggregate(s=Sum("amount"))["s"] == Decimal("0")


def test_parallel_debits_with_one_idempotency_key_debit_once():
    user = CustomerFactory()
    services.balance_credit(user=user, amount=Decimal("100.00"), idempotency_key="seed")

    results = run_in_parallel(
        lambda i: services.balance_debit(
            user=user, amount=Decimal("30.00"), idempotency_key="order-42"
        ),
        10,
    )

    assert all(isinstance(r, BalanceEntry) for r in results)
    assert len({r.pk for r in results}) == 1
    assert CustomerProfile.objects.get(user=user).balance == Decimal("70.00")


def test_top_up_confirmation_delivered_five_times_in_parallel_credits_amount_and_bonus_once():
    TopUpBonusTier.objects.create(min_amount=Decimal("300.00"), bonus=Decimal("50.00"))
    user = CustomerFactory()
    top_up = services.top_up_create(user=user, amount=Decimal("300.00"))

    results = run_in_parallel(
        lambda i: services.top_up_confirm(top_up_id=top_up.pk, provider_reference=f"bank-{i}"),
        5,
    )

    assert not [r for r in results if isinstance(r, Exception)]
    entries = BalanceEntry.objects.filter(user=user)
    assert sorted(entries.values_list("kind", flat=True)) == [
        BalanceEntryKind.TOP_UP,
        BalanceEntryKind.TOP_UP_BONUS,
    ]
    assert CustomerProfile.objects.get(user=user).balance == Decimal("350.00")
