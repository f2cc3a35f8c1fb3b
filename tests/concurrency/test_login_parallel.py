"""Parallel wrong passwords against one account, on PostgreSQL and the Redis-held counters."""

import threading
import time

import pytest
from django.conf import settings
from django.test import Client

from tests.concurrency.parallel import run_in_parallel
from tests.customers.factories import CustomerFactory

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="the counters live in Redis"),
]

ATTEMPTS = 30


@pytest.fixture
def password_checks(monkeypatch):
    """Counts the password checks; each takes a while, as a real hasher does."""
    import django.contrib.auth.forms as auth_forms

    import customers.api as customers_api

    lock = threading.Lock()
    checks = []

    def counting(original):
        def authenticate(request=None, **credentials):
            with lock:
                checks.append(credentials.get("username"))
            time.sleep(0.05)
            return original(request, **credentials)

        return authenticate

    monkeypatch.setattr(customers_api, "authenticate", counting(customers_api.authenticate))
    monkeypatch.setattr(auth_forms, "authenticate", counting(auth_forms.authenticate))
    return checks


def test_parallel_wrong_passwords_on_the_sign_in_page_get_no_more_checks_than_the_limit(
    password_checks,
):
    CustomerFactory(email="buyer@example.com")

    def guess(i):
        return Client().post(
            "/account/login/",
            {"username": "buyer@example.com", "password": f"guess-{i}"},
            REMOTE_ADDR="10.1.1.1",
        ).status_code

    results = run_in_parallel(guess, ATTEMPTS)

    assert all(code == 200 for code in results), results
    assert len(password_checks) == settings.CUSTOMERS_LOGIN_MAX_FAILURES


def test_parallel_wrong_passwords_for_a_token_get_no_more_checks_than_the_limit(
    password_checks,
):
    CustomerFactory(email="buyer@example.com")

    def guess(i):
        return Client().post(
            "/api/v1/account/token/",
            {"email": "buyer@example.com", "password": f"guess-{i}"},
            content_type="application/json",
            REMOTE_ADDR="10.1.1.2",
        ).status_code

    results = run_in_parallel(guess, ATTEMPTS)

    assert sorted(set(results)) == [400, 429], results
    assert results.count(400) == settings.CUSTOMERS_LOGIN_MAX_FAILURES
    assert len(password_checks) == settings.CUSTOMERS_LOGIN_MAX_FAILURES
