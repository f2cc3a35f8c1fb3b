"""Rate limits counted in the shared cache, per client address or customer."""

import pytest
from django.core.cache import cache

from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/parts/"


@pytest.fixture
def low_limits(settings):
    settings.API_THROTTLE_RATES = {
        "anonymous_burst": "100/s",
        "anonymous_sustained": "3/min",
        "customer_burst": "100/s",
        "customer_sustained": "5/min",
    }


def statuses(client, count, **headers):
    return [client.get(URL, secure=True, **headers).status_code for _ in range(count)]


def test_past_the_limit_the_answer_is_429_with_retry_after(client, low_limits):
    assert statuses(client, 3) == [200, 200, 200]

    response = client.get(URL, secure=True)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"


def test_the_count_lives_in_the_shared_cache_not_in_the_worker(client, low_limits):
    statuses(client, 4)

    cache.clear()

    assert client.get(URL, secure=True).status_code == 200


def test_a_made_up_forwarded_for_does_not_reset_the_count(client, low_limits):
    codes = [
        client.get(URL, secure=True, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(5)
    ]

    assert codes == [200, 200, 200, 429, 429]


def test_behind_one_proxy_the_client_is_the_rightmost_forwarded_address(
    client, low_limits, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    first = [
        client.get(URL, secure=True, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7").status_code
        for n in range(4)
    ]
    other = client.get(URL, secure=True, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code

    assert first == [200, 200, 200, 429]
    assert other == 200


def test_customers_get_their_own_higher_limit(client, low_limits):
    statuses(client, 3)
    client.force_login(CustomerFactory())

    assert statuses(client, 5) == [200] * 5
    assert client.get(URL, secure=True).status_code == 429


def test_with_the_cache_down_requests_pass(client, low_limits, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)

    assert statuses(client, 5) == [200] * 5
