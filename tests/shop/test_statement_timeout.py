"""Storefront and API statements run under a time limit; a cut-off query answers 503."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from shop.db import StatementTimeoutMiddleware

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statement_timeout"),
]


@pytest.fixture
def slow_search(monkeypatch, settings):
    settings.DB_STATEMENT_TIMEOUT_MS = 100

    def search(query):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr("catalog.search.search", search)


def test_a_search_that_runs_too_long_answers_a_clear_503_page(client, slow_search):
    response = client.get("/search/", {"q": "RC06 thick"}, secure=True)

    assert response.status_code == 503
    assert "took too long" in response.content.decode()
    assert response["Retry-After"]


def test_an_api_query_that_runs_too_long_answers_503_json(client, slow_search):
    response = client.get("/api/v1/parts/", {"q": "RC06 thick"}, secure=True)

    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["error"]["code"] == "timeout"
    assert "took too long" in response.json()["error"]["message"]


def test_a_part_page_whose_first_render_runs_too_long_answers_503(client, monkeypatch, settings):
    from tests.factories import PartFactory

    part = PartFactory()
    settings.DB_STATEMENT_TIMEOUT_MS = 100

    def part_page_data(part):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr("catalog.selectors.part_page_data", part_page_data)

    response = client.get(part.get_absolute_url(), secure=True)

    assert response.status_code == 503 and response["Retry-After"]
    assert "took too long" in response.content.decode()


def _timeout_seen_by(path: str, settings) -> str:
    settings.DB_STATEMENT_TIMEOUT_MS = 1500
    seen = {}

    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            seen["timeout"] = cursor.fetchone()[0]
        return HttpResponse()

    StatementTimeoutMiddleware(view)(RequestFactory().get(path))
    return seen["timeout"]


def test_storefront_requests_run_under_the_limit_and_leave_the_connection_unlimited(settings):
    assert _timeout_seen_by("/search/", settings) == "1500ms"

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_admin_requests_are_not_limited(settings):
    assert _timeout_seen_by("/admin/catalog/catalogimport/add/", settings) == "0"
