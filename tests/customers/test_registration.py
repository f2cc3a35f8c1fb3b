import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from customers import services
from customers.models import CustomerProfile, User

pytestmark = pytest.mark.django_db

URL = reverse("customers:register")


def form_data(**overrides):
    data = {
        "email": "new@example.com",
        "password1": "Capacitor-100nF-X7R",
        "password2": "Capacitor-100nF-X7R",
        "customer_type": "purchaser",
        "company_name": "Acme",
        "phone": "123",
    }
    data.update(overrides)
    return data


def test_sign_up_creates_the_account_and_signs_in(client):
    response = client.post(URL, form_data())

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.profile.customer_type == "purchaser"
    assert client.get(reverse("customers:overview")).status_code == 200


def test_sign_up_lower_cases_the_email(client):
    client.post(URL, form_data(email="New.Buyer@Example.COM"))

    assert User.objects.filter(email="new.buyer@example.com").exists()


def test_bad_email_is_refused_with_a_clear_message(client):
    response = client.post(URL, form_data(email="not-an-email"))

    assert "Enter a valid email address" in response.content.decode()
    assert not User.objects.exists()


def test_weak_password_is_refused_with_a_clear_message(client):
    response = client.post(URL, form_data(password1="12345678", password2="12345678"))

    assert "This password is too common" in response.content.decode()
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client):
    response = client.post(URL, form_data(password2="Something-else-42"))

    assert "The two passwords don&#x27;t match" in response.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_is_refused_with_a_clear_message(client, customer):
    response = client.post(URL, form_data(email="BUYER@example.com"))

    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_registration_runs_the_after_register_hooks_with_the_new_user(db):
    calls = []
    with override_settings(
        CUSTOMERS_AFTER_REGISTER=["tests.customers.test_registration.record_hook"]
    ):
        RECORDED.clear()
        user = services.customer_register(
            email="hook@example.com", password="Capacitor-100nF-X7R", customer_type="engineer"
        )
    calls.extend(RECORDED)
    assert calls == [user.pk]


def test_failing_after_register_hook_leaves_no_half_written_account(db):
    with (
        override_settings(CUSTOMERS_AFTER_REGISTER=["tests.customers.test_registration.boom"]),
        pytest.raises(RuntimeError),
    ):
        services.customer_register(
            email="hook@example.com", password="Capacitor-100nF-X7R", customer_type="engineer"
        )

    assert not User.objects.exists()
    assert not CustomerProfile.objects.exists()


RECORDED: list[int] = []


def record_hook(*, user):
    RECORDED.append(user.pk)


def boom(*, user):
    raise RuntimeError("coupon issuing failed")


def test_sign_up_emails_a_confirmation_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data())

    assert len(mail.outbox) == 1
    assert "/account/verify-email/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["new@example.com"]
