from decimal import Decimal

import pytest
from django.urls import reverse

from customers import services
from customers.models import BalanceAdjustment, CustomerProfile, TopUpStatus
from tests.customers.factories import TopUpBonusTierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(admin_client):
    return admin_client


@pytest.fixture
def top_up(customer):
    TopUpBonusTierFactory(min_amount=Decimal("300.00"), bonus=Decimal("50.00"))
    return services.top_up_create(user=customer, amount=Decimal("300"))


def test_customer_list_and_change_page_render(staff, customer):
    assert staff.get(reverse("admin:customers_user_changelist")).status_code == 200
    assert staff.get(reverse("admin:customers_user_change", args=[customer.pk])).status_code == 200


def test_staff_create_a_user_by_email(staff):
    from customers.models import User

    staff.post(
        reverse("admin:customers_user_add"),
        {
            "email": "desk@example.com",
            "password1": "Ferrite-Bead-0603",
            "password2": "Ferrite-Bead-0603",
            "usable_password": "true",
        },
    )

    assert User.objects.filter(email="desk@example.com").exists()


def test_confirm_button_credits_amount_and_bonus(staff, top_up, customer, admin_user):
    page = staff.get(reverse("admin:customers_topup_change", args=[top_up.pk]))
    assert "Confirm transfer received" in page.content.decode()

    staff.post(
        reverse("admin:customers_topup_confirm", args=[top_up.pk]),
        {"provider_reference": "BOC-778"},
    )

    top_up.refresh_from_db()
    assert (top_up.status, top_up.confirmed_by, top_up.provider_reference) == (
        TopUpStatus.CONFIRMED,
        admin_user,
        "BOC-778",
    )
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("350.00")


def test_confirm_action_twice_credits_once(staff, top_up, customer):
    data = {"action": "confirm_transfers", "_selected_action": [top_up.pk]}

    staff.post(reverse("admin:customers_topup_changelist"), data)
    staff.post(reverse("admin:customers_topup_changelist"), data)

    assert CustomerProfile.objects.get(user=customer).balance == Decimal("350.00")


def test_balance_entries_cannot_be_changed_or_deleted_in_the_admin(staff, customer):
    entry = services.balance_credit(user=customer, amount=Decimal("5"), idempotency_key="a")

    staff.post(reverse("admin:customers_balanceentry_change", args=[entry.pk]), {"amount": "500"})
    response = staff.post(
        reverse("admin:customers_balanceentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    entry.refresh_from_db()
    assert entry.amount == Decimal("5.00")
    assert response.status_code == 403


def test_balance_adjustment_without_a_reason_is_refused(staff, customer):
    response = staff.post(
        reverse("admin:customers_balanceadjustment_add"),
        {"user": customer.pk, "amount": "10.00", "reason": ""},
    )

    assert "This field is required" in response.content.decode()
    assert not BalanceAdjustment.objects.exists()


def test_balance_adjustment_credits_and_records_the_staff_member(staff, customer, admin_user):
    staff.post(
        reverse("admin:customers_balanceadjustment_add"),
        {"user": customer.pk, "amount": "10.00", "reason": "Goodwill: late parcel"},
    )

    adjustment = BalanceAdjustment.objects.get()
    assert (adjustment.staff, adjustment.entry.amount) == (admin_user, Decimal("10.00"))
    assert CustomerProfile.objects.get(user=customer).balance == Decimal("10.00")


def test_adjustment_that_would_go_negative_is_refused_with_a_message(staff, customer):
    response = staff.post(
        reverse("admin:customers_balanceadjustment_add"),
        {"user": customer.pk, "amount": "-10.00", "reason": "Correction"},
    )

    assert "cannot go negative" in response.content.decode()
    assert not BalanceAdjustment.objects.exists()
