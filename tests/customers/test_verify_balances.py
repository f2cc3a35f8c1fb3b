from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from customers import services
from customers.models import CustomerProfile

pytestmark = pytest.mark.django_db


def test_verify_balances_passes_when_ledgers_match(customer, capsys):
    services.balance_credit(user=customer, amount=Decimal("10.00"), idempotency_key="a")

    call_command("verify_balances")

    assert "match" in capsys.readouterr().out


def test_verify_balances_detects_a_tampered_cached_balance(customer, capsys):
    services.balance_credit(user=customer, amount=Decimal("10.00"), idempotency_key="a")
    CustomerProfile.objects.filter(user=customer).update(balance=Decimal("1000.00"))

    with pytest.raises(CommandError):
        call_command("verify_balances")

    assert "buyer@example.com: balance 1000.00" in capsys.readouterr().err


def test_verify_balances_detects_tampered_points(customer, capsys):
    CustomerProfile.objects.filter(user=customer).update(points=7)

    with pytest.raises(CommandError):
        call_command("verify_balances")

    assert "points 7" in capsys.readouterr().err
