from decimal import Decimal

import pytest
from django.urls import reverse

from customers import services
from customers.models import Address, InvoiceDetails, TopUp
from tests.customers.factories import AddressFactory, TopUpBonusTierFactory, TopUpFactory

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient": "Li Wei",
    "phone": "+86 138 0013 8000",
    "line1": "1 Keji Road",
    "city": "Shenzhen",
    "country": "cn",
}


@pytest.mark.parametrize(
    "name",
    [
        "overview",
        "profile",
        "addresses",
        "address-create",
        "invoice-details",
        "balance",
        "top-up",
        "points",
    ],
)
def test_account_page_renders_for_the_signed_in_customer(signed_in, name):
    response = signed_in.get(reverse(f"customers:{name}"))

    assert response.status_code == 200
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_profile_changes_are_saved(signed_in, customer):
    signed_in.post(
        reverse("customers:profile"),
        {"customer_type": "reseller", "company_name": "Volt GmbH", "phone": "+49 30"},
    )

    customer.profile.refresh_from_db()
    assert (customer.profile.customer_type, customer.profile.company_name) == (
        "reseller",
        "Volt GmbH",
    )


def test_first_address_becomes_the_default(signed_in, customer):
    signed_in.post(reverse("customers:address-create"), ADDRESS)

    assert Address.objects.get(user=customer).is_default


def test_new_default_address_replaces_the_old_default(signed_in, customer):
    old = AddressFactory(user=customer, is_default=True)

    signed_in.post(reverse("customers:address-create"), {**ADDRESS, "is_default": "on"})

    old.refresh_from_db()
    assert not old.is_default
    assert Address.objects.filter(user=customer, is_default=True).count() == 1


def test_making_an_address_default_moves_the_default(signed_in, customer):
    first = AddressFactory(user=customer, is_default=True)
    second = AddressFactory(user=customer)

    signed_in.post(reverse("customers:address-default", args=[second.pk]))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


def test_deleting_the_default_address_promotes_another(signed_in, customer):
    first = AddressFactory(user=customer, is_default=True)
    second = AddressFactory(user=customer)

    signed_in.post(reverse("customers:address-delete", args=[first.pk]))

    second.refresh_from_db()
    assert second.is_default


def test_database_refuses_two_default_addresses(customer):
    from django.db import IntegrityError, transaction

    AddressFactory(user=customer, is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AddressFactory(user=customer, is_default=True)


def test_address_with_missing_fields_is_refused_and_not_saved(signed_in, customer):
    response = signed_in.post(reverse("customers:address-create"), {"recipient": "Li"})

    assert "This field is required" in response.content.decode()
    assert not Address.objects.exists()


def test_address_with_a_bad_country_code_is_refused(signed_in):
    response = signed_in.post(reverse("customers:address-create"), {**ADDRESS, "country": "C1"})

    assert "two-letter country code" in response.content.decode()
    assert not Address.objects.exists()


@pytest.mark.parametrize("name", ["address-edit", "address-delete", "address-default"])
def test_another_customers_address_is_a_404(signed_in, other_customer, name):
    theirs = AddressFactory(user=other_customer, is_default=True)

    method = signed_in.get if name == "address-edit" else signed_in.post
    response = method(reverse(f"customers:{name}", args=[theirs.pk]))

    assert response.status_code == 404
    assert Address.objects.filter(pk=theirs.pk, is_default=True).exists()


def test_another_customers_top_up_is_a_404(signed_in, other_customer):
    theirs = TopUpFactory(user=other_customer)

    response = signed_in.get(reverse("customers:top-up-detail", args=[theirs.reference]))

    assert response.status_code == 404


def test_address_list_shows_only_own_addresses(signed_in, customer, other_customer):
    AddressFactory(user=customer, line1="1 Mine Street")
    AddressFactory(user=other_customer, line1="9 Theirs Avenue")

    content = signed_in.get(reverse("customers:addresses")).content.decode()

    assert "1 Mine Street" in content
    assert "9 Theirs Avenue" not in content


def test_invoice_details_with_a_valid_credit_code_are_saved(signed_in, customer):
    signed_in.post(
        reverse("customers:invoice-details"),
        {"company_title": "Acme Ltd.", "taxpayer_id": "91110000600037341L"},
    )

    assert InvoiceDetails.objects.get(user=customer).taxpayer_id == "91110000600037341L"


def test_invoice_details_accept_an_eu_vat_number(signed_in, customer):
    signed_in.post(
        reverse("customers:invoice-details"),
        {"company_title": "Volt GmbH", "taxpayer_id": "DE 136 695 976"},
    )

    assert InvoiceDetails.objects.get(user=customer).taxpayer_id == "DE136695976"


def test_bad_taxpayer_id_is_refused_with_a_clear_message(signed_in):
    response = signed_in.post(
        reverse("customers:invoice-details"),
        {"company_title": "Acme Ltd.", "taxpayer_id": "91110000600037341X"},
    )

    assert "Enter a valid taxpayer ID" in response.content.decode()
    assert not InvoiceDetails.objects.exists()


def test_top_up_page_shows_the_bonus_tiers_before_paying(signed_in):
    TopUpBonusTierFactory(min_amount=Decimal("500.00"), bonus=Decimal("80.00"))

    content = signed_in.get(reverse("customers:top-up")).content.decode()

    assert "500.00" in content and "+80.00" in content


def test_top_up_shows_the_reference_and_bank_details(signed_in, customer, settings):
    response = signed_in.post(reverse("customers:top-up"), {"amount": "500"}, follow=True)

    top_up = TopUp.objects.get(user=customer)
    content = response.content.decode()
    assert top_up.reference in content
    assert settings.SHOP_BANK_DETAILS["account_number"] in content


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "greater than zero"),
        ("0", "greater than zero"),
        ("5000000", "at most 1,000,000"),
        ("1e20", "at most 1,000,000"),
        ("ten", "Enter the amount as a number"),
        ("NaN", "Enter the amount as a number"),
        ("10.123", "at most 2 decimal places"),
    ],
)
def test_bad_top_up_amount_is_refused_with_a_clear_message(signed_in, amount, message):
    response = signed_in.post(reverse("customers:top-up"), {"amount": amount})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TopUp.objects.exists()


def test_double_submitted_top_up_form_makes_one_top_up(signed_in, customer):
    data = {"amount": "100", "idempotency_key": "form-token-1"}

    signed_in.post(reverse("customers:top-up"), data)
    signed_in.post(reverse("customers:top-up"), data)

    assert TopUp.objects.filter(user=customer).count() == 1


def test_balance_page_lists_own_ledger_entries_paginated(signed_in, customer):
    for i in range(30):
        services.balance_credit(user=customer, amount=Decimal("1.00"), idempotency_key=f"k{i}")

    first = signed_in.get(reverse("customers:balance"))
    second = signed_in.get(reverse("customers:balance") + "?page=2")

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


def test_points_page_shows_the_points_total(signed_in, customer):
    services.points_earn_for_order(user=customer, order_reference="SO-9", amount_paid=42)

    content = signed_in.get(reverse("customers:points")).content.decode()

    assert "42 points" in content
    assert "SO-9" in content
