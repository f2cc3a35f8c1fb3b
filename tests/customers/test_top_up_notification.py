"""A confirmed top-up is told to the customer once: inbox message and email."""

from decimal import Decimal

import pytest
from django.core import mail

from customers import services
from customers.errors import InvalidTopUpState
from customers.models import Notification, NotificationKind
from tests.customers.factories import TopUpBonusTierFactory

pytestmark = pytest.mark.django_db


def test_confirming_a_top_up_twice_tells_the_customer_once(
    customer, django_capture_on_commit_callbacks
):
    TopUpBonusTierFactory(min_amount=Decimal("300.00"), bonus=Decimal("50.00"))
    top_up = services.top_up_create(user=customer, amount=Decimal("300"))

    with django_capture_on_commit_callbacks(execute=True):
        services.top_up_confirm(top_up_id=top_up.pk)
        services.top_up_confirm(top_up_id=top_up.pk)

    told = Notification.objects.get(kind=NotificationKind.TOPUP_CONFIRMED)
    assert told.customer == customer and told.link == "/account/balance/"
    assert told.subject == f"Top-up {top_up.reference} confirmed: 300.00 CNY added to your balance"
    assert "Top-up bonus: 50.00 CNY." in told.body_text
    assert "Your balance is now 350.00 CNY." in told.body_text
    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_a_cancelled_top_up_is_not_confirmed_and_tells_nothing(customer):
    top_up = services.top_up_create(user=customer, amount=Decimal("300"))
    services.top_up_cancel(top_up_id=top_up.pk)

    with pytest.raises(InvalidTopUpState):
        services.top_up_confirm(top_up_id=top_up.pk)

    assert not Notification.objects.exists()
