"""Partners' API keys: created and revoked by the customer or staff, hashed at rest, scoped."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from customers import services
from customers.models import Address, ApiKey

pytestmark = pytest.mark.django_db

ADDRESS = {"recipient": "Li Wei", "phone": "+86 138", "line1": "1 Keji Road", "city": "Shenzhen"}
KEY_PATTERN = re.compile(r"plk_[a-z0-9]{8}_[A-Za-z0-9_-]{20,}")


def new_key(user, **kwargs):
    kwargs.setdefault("name", "ERP sync")
    return services.api_key_create(user=user, **kwargs)


def with_key(client, raw):
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}", "secure": True}


def test_the_account_page_shows_a_new_key_once_and_then_only_its_prefix(signed_in, customer):
    created = signed_in.post(
        "/account/api-keys/", {"name": "ERP sync", "scope": "read"}, secure=True
    )

    raw = KEY_PATTERN.search(created.content.decode()).group(0)
    key = ApiKey.objects.get(user=customer)
    assert raw.startswith(key.display_prefix)
    listing = signed_in.get("/account/api-keys/", secure=True).content.decode()
    assert key.display_prefix in listing and "ERP sync" in listing
    assert raw not in listing
    assert "no-store" in created["Cache-Control"]


def test_the_key_is_stored_only_as_a_hash(customer):
    key, raw = new_key(customer)

    secret = raw.split("_", 2)[2]
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": "  ", "scope": "read"}, "name"), ({"name": "x", "scope": "admin"}, "scope")],
)
def test_a_bad_key_form_is_refused_and_creates_nothing(signed_in, data, field):
    response = signed_in.post("/account/api-keys/", data, secure=True)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ApiKey.objects.exists()


def test_an_expiry_in_the_past_is_refused(signed_in):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = signed_in.post(
        "/account/api-keys/", {"name": "x", "scope": "read", "expires_on": yesterday}, secure=True
    )

    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_a_key_reads_the_callers_account(client, customer):
    _, raw = new_key(customer)

    response = client.get("/api/v1/account/profile/", **with_key(client, raw))

    assert response.status_code == 200
    assert response.json()["email"] == customer.email


def test_last_use_is_written_again_after_a_minute(client, customer):
    key, raw = new_key(customer)
    client.get("/api/v1/parts/", **with_key(client, raw))
    first = ApiKey.objects.get(pk=key.pk).last_used_at

    client.get("/api/v1/parts/", **with_key(client, raw))
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/parts/", **with_key(client, raw))

    assert first is not None
    assert ApiKey.objects.get(pk=key.pk).last_used_at > first


def test_a_recent_use_is_not_written_again(customer):
    key, raw = new_key(customer)
    services.api_key_authenticate(raw_key=raw)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - timedelta(seconds=10))
    before = ApiKey.objects.get(pk=key.pk).last_used_at

    services.api_key_authenticate(raw_key=raw)

    assert ApiKey.objects.get(pk=key.pk).last_used_at == before


@pytest.mark.parametrize("state", ["revoked", "expired", "wrong secret"])
def test_a_revoked_expired_or_wrong_key_is_401(client, customer, state):
    key, raw = new_key(customer)
    if state == "revoked":
        services.api_key_revoke(user=customer, key_id=key.pk)
    elif state == "expired":
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        raw = raw[:-4] + "AAAA"

    response = client.get("/api/v1/account/profile/", **with_key(client, raw))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Api-Key")


def test_a_read_only_key_reads_but_does_not_write(client, customer):
    _, raw = new_key(customer, scope="read")

    assert client.get("/api/v1/account/addresses/", **with_key(client, raw)).status_code == 200
    response = client.post(
        "/api/v1/account/addresses/", ADDRESS, content_type="application/json",
        **with_key(client, raw),
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_key"
    assert not Address.objects.exists()


def test_an_ordering_key_writes(client, customer):
    _, raw = new_key(customer, scope="ordering")

    response = client.post(
        "/api/v1/account/addresses/", ADDRESS, content_type="application/json",
        **with_key(client, raw),
    )

    assert response.status_code == 201


def test_a_read_only_key_may_look_up_parts(client, customer):
    _, raw = new_key(customer, scope="read")

    response = client.post(
        "/api/v1/parts/lookup/", {"items": [{"mpn": "BSS138"}]}, content_type="application/json",
        **with_key(client, raw),
    )

    assert response.status_code == 200


def test_the_customer_revokes_a_key_and_it_stops_working(signed_in, customer, client):
    key, raw = new_key(customer)

    response = signed_in.post(f"/account/api-keys/{key.pk}/revoke/", secure=True)

    assert response.status_code == 302
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    signed_in.logout()
    assert client.get("/api/v1/parts/", **with_key(client, raw)).status_code == 401


def test_another_customers_key_is_a_404_and_stays_active(signed_in, other_customer):
    key, _ = new_key(other_customer)

    response = signed_in.post(f"/account/api-keys/{key.pk}/revoke/", secure=True)

    assert response.status_code == 404
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


def test_staff_create_a_key_in_the_admin_and_see_it_once(admin_client, customer):
    response = admin_client.post(
        "/admin/customers/apikey/add/",
        {"user": customer.pk, "name": "Partner ERP", "scope": "ordering"},
        follow=True,
        secure=True,
    )

    key = ApiKey.objects.get(user=customer)
    raw = KEY_PATTERN.search(response.content.decode()).group(0)
    assert services.api_key_authenticate(raw_key=raw) == key
    assert key.scope == "ordering"


def test_staff_revoke_keys_with_the_admin_action(admin_client, customer):
    key, _ = new_key(customer)

    admin_client.post(
        "/admin/customers/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
        secure=True,
    )

    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_an_expired_token_is_refused_and_a_new_one_issued(client, customer, password, settings):
    settings.API_TOKEN_MAX_AGE = 3600
    token = Token.objects.create(user=customer)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(hours=2))

    refused = client.get(
        "/api/v1/account/profile/", HTTP_AUTHORIZATION=f"Token {token.key}", secure=True
    )
    issued = client.post(
        "/api/v1/account/token/", {"email": customer.email, "password": password}, secure=True
    )

    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_expired"
    assert issued.json()["token"] != token.key
    fresh = client.get(
        "/api/v1/account/profile/", HTTP_AUTHORIZATION=f"Token {issued.json()['token']}",
        secure=True,
    )
    assert fresh.status_code == 200
