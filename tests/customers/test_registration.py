import pytest
from django.core import mail
from django.test import Client, override_settings
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


def test_sign_up_creates_the_account_and_says_to_check_the_email(client):
    response = client.post(URL, form_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("customers:register-done")
    assert "Check your email" in response.content.decode()
    user = User.objects.get(email="new@example.com")
    assert user.profile.customer_type == "purchaser"


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


def test_sign_up_with_a_taken_email_answers_as_for_a_new_one_and_tells_its_owner(
    client, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(URL, form_data(email="BUYER@example.com"), follow=True)
        new = Client().post(URL, form_data(email="new@example.com"), follow=True)

    assert taken.redirect_chain == new.redirect_chain
    page = taken.content.decode()
    assert "Check your email" in page
    assert "already exists" not in page
    assert User.objects.filter(email__iexact="buyer@example.com").count() == 1
    to_owner = next(m for m in mail.outbox if m.to == [customer.email])
    assert "tried to create" in to_owner.subject
    assert "/account/login/" in to_owner.body
    assert "/account/verify-email/" not in to_owner.body


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
