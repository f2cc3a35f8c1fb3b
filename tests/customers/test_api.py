from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from customers import services
from customers.models import Address, InvoiceDetails, TopUp, User
from tests.customers.factories import AddressFactory, TopUpBonusTierFactory, TopUpFactory

pytestmark = pytest.mark.django_db

ADDRESS = {"recipient": "Li Wei", "phone": "+86 138", "line1": "1 Keji Road", "city": "Shenzhen"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def authed(api, customer):
    api.force_authenticate(customer)
    return api


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/account/profile/",
        "/api/v1/account/addresses/",
        "/api/v1/account/balance/",
        "/api/v1/account/balance/entries/",
        "/api/v1/account/top-ups/",
        "/api/v1/account/points/",
        "/api/v1/account/points/entries/",
        "/api/v1/account/invoice-details/",
    ],
)
def test_account_endpoint_requires_authentication(api, url):
    assert api.get(url).status_code in (401, 403)


def test_token_is_issued_for_email_and_password(api, customer, password):
    response = api.post(
        "/api/v1/account/token/", {"email": "buyer@example.com", "password": password}
    )

    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/account/profile/").json()["email"] == "buyer@example.com"


def test_token_request_with_a_wrong_password_is_refused(api, customer):
    response = api.post("/api/v1/account/token/", {"email": "buyer@example.com", "password": "x"})

    assert response.status_code == 400


def test_token_requests_are_throttled_after_five_failures(api, customer, password):
    for _ in range(5):
        api.post("/api/v1/account/token/", {"email": "buyer@example.com", "password": "x"})

    response = api.post(
        "/api/v1/account/token/", {"email": "buyer@example.com", "password": password}
    )

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.json()["detail"]


def test_registration_through_the_api_creates_the_account(api):
    response = api.post(
        "/api/v1/account/register/",
        {
            "email": "erp@example.com",
            "password": "Capacitor-100nF-X7R",
            "customer_type": "reseller",
        },
    )

    assert response.status_code == 202
    assert "Check your email" in response.json()["detail"]
    assert User.objects.get(email="erp@example.com").profile.customer_type == "reseller"


def test_registration_through_the_api_answers_alike_for_a_taken_email(api, customer):
    response = api.post(
        "/api/v1/account/register/",
        {"email": customer.email, "password": "Capacitor-100nF-X7R", "customer_type": "reseller"},
    )

    assert response.status_code == 202
    assert "Check your email" in response.json()["detail"]
    assert User.objects.filter(email=customer.email).count() == 1


def test_registration_through_the_api_refuses_a_weak_password(api):
    response = api.post(
        "/api/v1/account/register/",
        {"email": "erp@example.com", "password": "password", "customer_type": "reseller"},
    )

    assert response.status_code == 400
    assert not User.objects.exists()


def test_profile_patch_changes_the_company(authed, customer):
    response = authed.patch("/api/v1/account/profile/", {"company_name": "Volt GmbH"})

    assert response.json()["company_name"] == "Volt GmbH"
    customer.profile.refresh_from_db()
    assert customer.profile.company_name == "Volt GmbH"


def test_address_list_has_only_own_addresses(authed, customer, other_customer):
    AddressFactory(user=customer)
    AddressFactory(user=other_customer)

    response = authed.get("/api/v1/account/addresses/")

    assert len(response.json()) == 1


def test_address_created_through_the_api_is_the_default(authed, customer):
    response = authed.post("/api/v1/account/addresses/", ADDRESS)

    assert response.status_code == 201
    assert response.json()["is_default"] is True


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_customers_address_is_a_404_in_the_api(authed, other_customer, method):
    theirs = AddressFactory(user=other_customer)

    response = getattr(authed, method)(f"/api/v1/account/addresses/{theirs.pk}/")

    assert response.status_code == 404
    assert Address.objects.filter(pk=theirs.pk).exists()


def test_invoice_details_with_a_bad_taxpayer_id_are_refused(authed):
    response = authed.put(
        "/api/v1/account/invoice-details/",
        {"company_title": "Acme", "taxpayer_id": "123"},
    )

    assert response.status_code == 400
    assert "Enter a valid taxpayer ID" in str(response.json()["error"]["fields"]["taxpayer_id"])
    assert not InvoiceDetails.objects.exists()


def test_invoice_details_are_saved_and_read_back(authed):
    authed.put(
        "/api/v1/account/invoice-details/",
        {"company_title": "Acme", "taxpayer_id": "91110000600037341L"},
    )

    assert authed.get("/api/v1/account/invoice-details/").json()["company_title"] == "Acme"


def test_balance_and_ledger_show_own_movements(authed, customer, other_customer):
    services.balance_credit(user=customer, amount=Decimal("12.00"), idempotency_key="a")
    services.balance_credit(user=other_customer, amount=Decimal("99.00"), idempotency_key="a")

    assert authed.get("/api/v1/account/balance/").json()["balance"] == "12.00"
    entries = authed.get("/api/v1/account/balance/entries/").json()["results"]
    assert [e["amount"] for e in entries] == ["12.00"]


def test_top_up_preview_shows_the_bonus(authed):
    TopUpBonusTierFactory(min_amount=Decimal("300.00"), bonus=Decimal("50.00"))

    response = authed.get("/api/v1/account/top-up-preview/", {"amount": "300"})

    assert response.json() == {"amount": "300.00", "bonus": "50.00", "total_credit": "350.00"}


def test_top_up_created_through_the_api_returns_reference_and_bank_details(authed):
    response = authed.post("/api/v1/account/top-ups/", {"amount": "500.00"})

    assert response.status_code == 201
    assert response.json()["reference"].startswith("TU-")
    assert "account_number" in response.json()["bank_details"]


@pytest.mark.parametrize("amount", ["-1", "0", "abc", "2000000", "1.001"])
def test_top_up_with_a_bad_amount_is_refused_in_the_api(authed, amount):
    response = authed.post("/api/v1/account/top-ups/", {"amount": amount})

    assert response.status_code == 400
    assert not TopUp.objects.exists()


def test_top_up_with_a_repeated_idempotency_key_creates_one(authed, customer):
    first = authed.post("/api/v1/account/top-ups/", {"amount": "10"}, HTTP_IDEMPOTENCY_KEY="k1")
    again = authed.post("/api/v1/account/top-ups/", {"amount": "10"}, HTTP_IDEMPOTENCY_KEY="k1")

    assert first.json()["reference"] == again.json()["reference"]
    assert TopUp.objects.filter(user=customer).count() == 1


def test_another_customers_top_up_is_a_404_in_the_api(authed, other_customer):
    theirs = TopUpFactory(user=other_customer)

    assert authed.get(f"/api/v1/account/top-ups/{theirs.reference}/").status_code == 404


def test_points_and_ledger_show_own_points(authed, customer):
    services.points_earn_for_order(user=customer, order_reference="SO-1", amount_paid=10)

    assert authed.get("/api/v1/account/points/").json() == {"points": 10}
    assert authed.get("/api/v1/account/points/entries/").json()["results"][0]["points"] == 10


def test_account_endpoints_are_in_the_api_schema(client):
    response = client.get("/api/schema/")

    assert b"/api/v1/account/top-ups/" in response.content
    assert b"/api/v1/account/token/" in response.content
