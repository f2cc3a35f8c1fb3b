import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("customers:login")


def attempt(client, email, password, ip="10.0.0.1"):
    return client.post(URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_customer_signs_in_with_email_and_password(client, customer, password):
    response = attempt(client, "buyer@example.com", password)

    assert response.status_code == 302
    assert client.get(reverse("customers:overview")).status_code == 200


def test_wrong_password_says_so(client, customer):
    response = attempt(client, "buyer@example.com", "wrong")

    assert "don&#x27;t match an account" in response.content.decode()


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client, customer, password
):
    for _ in range(5):
        attempt(client, "buyer@example.com", "wrong")

    response = attempt(client, "buyer@example.com", password)

    assert "Too many sign-in attempts, try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_from_other_addresses_do_not_lock_the_owner_out(client, customer, password):
    for i in range(5):
        for _ in range(5):
            attempt(client, "buyer@example.com", "wrong", ip=f"10.0.0.{i}")

    response = attempt(client, "buyer@example.com", password, ip="10.9.9.9")

    assert response.status_code == 302


def test_guessing_one_account_from_many_addresses_stops_at_the_hourly_account_limit(
    client, customer, password, settings
):
    settings.CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT = 6
    for i in range(6):
        attempt(client, "buyer@example.com", "wrong", ip=f"10.0.1.{i}")

    response = attempt(client, "buyer@example.com", password, ip="10.9.9.9")

    assert "Too many sign-in attempts" in response.content.decode()


def test_the_account_limit_does_not_hold_an_address_the_owner_signed_in_from(
    client, customer, password, settings
):
    settings.CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT = 6
    attempt(client, "buyer@example.com", password, ip="10.7.7.7")
    client.post(reverse("customers:logout"))
    for i in range(10):
        attempt(client, "buyer@example.com", "wrong", ip=f"10.0.2.{i}")

    response = attempt(client, "buyer@example.com", password, ip="10.7.7.7")

    assert response.status_code == 302


@pytest.mark.parametrize(
    "spelling", ["ｂuyer@example.com", "BUYER@EXAMPLE.COM", " buyer@example.com "]
)
def test_look_alike_spellings_count_against_the_same_account(client, customer, password, spelling):
    for _ in range(4):
        attempt(client, "buyer@example.com", "wrong")
    attempt(client, spelling, "wrong")

    response = attempt(client, "buyer@example.com", password)

    assert "Too many sign-in attempts" in response.content.decode()


def test_throttle_per_ip_stops_guessing_across_many_emails(client, customer, password, settings):
    settings.CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP = 5
    for i in range(5):
        attempt(client, f"guess{i}@example.com", "wrong", ip="10.6.6.6")

    response = attempt(client, "buyer@example.com", password, ip="10.6.6.6")

    assert "Too many sign-in attempts" in response.content.decode()


def test_successful_sign_in_resets_the_failure_count(client, customer, password):
    for _ in range(4):
        attempt(client, "buyer@example.com", "wrong")
    attempt(client, "buyer@example.com", password)
    client.post(reverse("customers:logout"))

    response = attempt(client, "buyer@example.com", "wrong")

    assert "Too many sign-in attempts" not in response.content.decode()


def test_sign_out_is_a_post(signed_in):
    assert signed_in.get(reverse("customers:logout")).status_code == 405

    signed_in.post(reverse("customers:logout"))

    assert "_auth_user_id" not in signed_in.session


def test_account_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("customers:balance"))

    assert response.status_code == 302
    assert response.url.startswith(URL)
