"""Every error of the API in one shape, with the right status and headers."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] and body["error"]["message"], body
    return body["error"]


def test_an_anonymous_call_to_the_account_is_401_with_the_scheme_to_use(client):
    response = client.get("/api/v1/account/profile/", secure=True)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Api-Key")
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Token nope", "Api-Key plk_abcdefgh_wrong", "Api-Key x y"])
def test_bad_credentials_are_401(client, header):
    response = client.get("/api/v1/parts/", secure=True, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/anything-unknown/", secure=True)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_missing_trailing_slash_is_named_in_the_404(client):
    response = client.post("/api/v1/parts/lookup", {}, secure=True)

    assert response.status_code == 404
    assert "/api/v1/parts/lookup/" in error_of(response)["message"]


def test_an_unknown_part_is_a_json_404(client):
    response = client.get("/api/v1/parts/P9999999/", secure=True)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "abc"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"page": "x"}, "page"),
        ({"in_stock": "-1"}, "in_stock"),
        ({"rohs": "maybe"}, "rohs"),
        ({"lifecycle": "zombie"}, "lifecycle"),
        ({"updated_after": "yesterday"}, "updated_after"),
        ({"updated_after": "2026-01-31T08:00:00"}, "updated_after"),
        ({"cursor": "abc"}, "cursor"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_a_bad_query_parameter_is_400_naming_it(client, query, field):
    response = client.get("/api/v1/parts/", query, secure=True)

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert field in error["fields"], error


def test_nested_validation_errors_are_named_with_dots(client):
    response = client.post(
        "/api/v1/parts/lookup/",
        {"items": [{"mpn": "BSS138"}, {"mpn": "X", "quantity": 0}]},
        content_type="application/json",
        secure=True,
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["items.1.quantity"]


def test_malformed_json_is_a_parse_error(client):
    response = client.post(
        "/api/v1/parts/lookup/", "{not json", content_type="application/json", secure=True
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_wrong_method_is_405_in_the_same_format(client):
    response = client.get("/api/v1/parts/lookup/", secure=True)

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_an_unexpected_exception_is_a_json_500(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("catalog.api.lookup.lookup", explode)
    client = Client(raise_request_exception=False)

    response = client.post(
        "/api/v1/parts/lookup/",
        {"items": [{"mpn": "BSS138"}]},
        content_type="application/json",
        secure=True,
    )

    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "boom" not in error["message"]
