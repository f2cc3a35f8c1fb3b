"""Content-Security-Policy on every page; per-customer pages never kept by a shared cache."""

import re

import pytest

from tests.customers.factories import CustomerFactory
from tests.factories import PartFactory

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, list[str]]:
    assert "Content-Security-Policy-Report-Only" not in response
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_pages_carry_a_strict_policy_and_inline_scripts_its_nonce(client):
    response = client.get("/", secure=True)

    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    nonces = re.findall(r'<script nonce="([^"]+)"', response.content.decode())
    assert nonces and all(f"'nonce-{n}'" in policy["script-src"] for n in nonces)
    assert "<script>" not in response.content.decode()


def test_a_not_modified_answer_keeps_the_cached_pages_policy(client):
    part = PartFactory()
    first = client.get(part.get_absolute_url(), secure=True)

    again = client.get(part.get_absolute_url(), secure=True, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert "Content-Security-Policy" not in again


def test_a_page_without_a_nonce_carries_the_policy_django_csp_builds(client, settings):
    from csp.utils import build_policy

    part = PartFactory()
    response = client.get(part.get_absolute_url(), secure=True)

    assert "nonce" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    changed = client.get(part.get_absolute_url() + "?v=2", secure=True)
    assert changed["Content-Security-Policy"] == "default-src 'none'"


def test_a_view_that_changes_its_policy_keeps_the_change():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from shop.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://img.example"]}
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))

    assert "https://img.example" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    ["/account/", "/account/balance/", "/account/invoice-details/", "/account/api-keys/",
     "/cart/", "/account/quotes/", "/api/v1/account/profile/"],
)
def test_customer_pages_are_private_and_not_stored(client, url):
    client.force_login(CustomerFactory())

    response = client.get(url, secure=True)

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives


def test_anonymous_catalog_pages_stay_cacheable(client):
    part = PartFactory()

    response = client.get(part.get_absolute_url(), secure=True)

    assert "public" in response["Cache-Control"]


def test_api_docs_load_swagger_ui_from_the_stores_own_static_files(client):
    response = client.get("/api/docs/", secure=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = re.search(r'<script src="(/api/docs/\?[^"]+)"', html)
    assert script
    assert client.get(script.group(1).replace("&amp;", "&"), secure=True).status_code == 200


def test_the_developers_page_publishes_the_limits_and_is_linked_from_the_footer(
    client, settings
):
    settings.API_THROTTLE_RATES = {
        "anonymous_burst": "5/s",
        "anonymous_sustained": "60/min",
        "customer_burst": "20/s",
        "customer_sustained": "600/min",
    }
    home = client.get("/", secure=True).content.decode()
    response = client.get("/developers/", secure=True)
    text = response.content.decode()

    assert 'href="/developers/"' in home
    assert response.status_code == 200
    assert "600 per minute" in text and "5 per second" in text and "100" in text
    assert "curl" in text
