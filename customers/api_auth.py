"""Who calls the API, and what a caller's key allows.

Authentication classes, in the order of ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``:

- ``ApiKeyAuthentication``: ``Authorization: Api-Key plk_…``, partners' keys from
  /account/api-keys/. ``request.auth`` is the ``ApiKey``. First in the list, so an anonymous
  or badly authenticated call gets 401 with ``WWW-Authenticate: Api-Key``.
- ``ExpiringTokenAuthentication``: ``Authorization: Token …`` from /api/v1/account/token/,
  refused once older than ``API_TOKEN_MAX_AGE`` seconds (0: never).
- Django's session, for the store's own pages.

Permission ``HasOrderingScope``: safe methods for every signed-in caller; anything that
writes (placing an order, changing the account) needs a session, a token or a key with the
ordering scope. Orders' endpoints use ``[IsAuthenticated, HasOrderingScope]``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import (
    BaseAuthentication,
    TokenAuthentication,
    get_authorization_header,
)

from . import services
from .models import ApiKey

API_KEY_KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    keyword = API_KEY_KEYWORD

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the key as: Authorization: Api-Key plk_…", code="authentication_failed"
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        key = services.api_key_authenticate(raw_key=raw)
        if key is None:
            raise exceptions.AuthenticationFailed(
                "This API key is not valid: wrong, revoked or expired.",
                code="authentication_failed",
            )
        return key.user, key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once older than ``API_TOKEN_MAX_AGE`` seconds."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        max_age = settings.API_TOKEN_MAX_AGE
        if max_age and token.created <= timezone.now() - timedelta(seconds=max_age):
            raise exceptions.AuthenticationFailed(
                "This token has expired; ask /api/v1/account/token/ for a new one.",
                code="token_expired",
            )
        return user, token


class HasOrderingScope(permissions.BasePermission):
    """Reads for every signed-in caller; writes not for a read-only API key."""

    message = "This API key is read-only; create a key with the ordering scope to order."
    code = "read_only_key"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        key = request.auth
        return not isinstance(key, ApiKey) or key.can_order


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key plk_…`: a key from your account's API keys page.",
        }
