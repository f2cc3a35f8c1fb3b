"""One error format for every answer of the API that is not a success.

::

    {"error": {"code": "invalid", "message": "page_size: A valid integer is required.",
               "fields": {"page_size": ["A valid integer is required."]}}}

``code`` is a stable machine-readable word (``invalid``, ``parse_error``,
``not_authenticated``, ``authentication_failed``, ``permission_denied``, ``not_found``,
``method_not_allowed``, ``conflict``, ``throttled``, ``server_error`` …), ``message`` a
sentence for a person, and ``fields`` (only on validation errors) the messages per input
field, nested inputs named with dots (``items.3.quantity``). 401 answers carry
``WWW-Authenticate``, 429 answers ``Retry-After`` (seconds).

Any ``rest_framework.exceptions.APIException`` raised by a view is answered this way, so an
app needs no import from here: a 409 is an ``APIException`` subclass with ``status_code = 409``
and its own ``default_code`` (``Conflict`` below is one to copy).
"""

from __future__ import annotations

import logging
import math
import sys

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from .db import RETRY_AFTER_SECONDS, TIMEOUT_MESSAGE, is_statement_timeout

logger = logging.getLogger("shop.api")

NON_FIELD_KEYS = ("non_field_errors", "detail", "__all__")


class Conflict(exceptions.APIException):
    """The request clashes with the resource's current state (a repeated idempotency key
    with another body, an order no longer in the state the request expects)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten(detail, prefix: str = ""):
    """(field path, messages) pairs of a DRF error detail of any nesting."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = str(key)
            path = prefix if key in NON_FIELD_KEYS else (f"{prefix}.{key}" if prefix else key)
            yield from _flatten(value, path)
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            if detail:
                yield prefix, [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    yield from _flatten(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield prefix, [str(detail)]


def _validation_body(detail) -> dict:
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for path, messages in _flatten(detail):
        if path:
            fields.setdefault(path, []).extend(messages)
        else:
            general.extend(messages)
    parts = general + [f"{name}: {messages[0]}" for name, messages in fields.items()]
    message = " ".join(parts[:3]) if parts else "The request is not valid."
    if len(parts) > 3:
        message += f" (and {len(parts) - 3} more)"
    return error_body("invalid", message, fields)


def _code_of(exc: exceptions.APIException) -> str:
    detail = exc.detail
    code = getattr(detail, "code", None) if isinstance(detail, str) else None
    if exc.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        return "throttled"
    return code or exc.default_code or "error"


def _message_of(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, str):
        return str(detail)
    messages = [m for _, ms in _flatten(detail) for m in ms]
    return " ".join(messages) or str(exc.default_detail)


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error in the one format above."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if not isinstance(exc, exceptions.APIException):
        if is_statement_timeout(exc):
            return _timed_out(exc, context)
        return _server_error(exc, context)

    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))

    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc.detail)
    else:
        message = _message_of(exc)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            message = f"Too many requests; retry in {headers['Retry-After']} s."
        body = error_body(_code_of(exc), message)
        # Domain errors may carry lists a client acts on (what changed, what is short).
        extra = getattr(exc, "extra", None)
        if isinstance(extra, dict):
            body["error"].update(extra)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def _timed_out(exc, context):
    """A statement cut off by DB_STATEMENT_TIMEOUT_MS: 503 with Retry-After, not a 500."""
    request = context.get("request")
    logger.warning("statement timeout on %s", getattr(request, "path", "?"))
    set_rollback()
    return Response(
        error_body("timeout", TIMEOUT_MESSAGE),
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _server_error(exc, context):
    """An unexpected exception: logged with its traceback and reported to whatever listens
    to Django's ``got_request_exception`` (error trackers), then answered as JSON."""
    if settings.DEBUG:
        return None
    request = context.get("request")
    django_request = getattr(request, "_request", request)
    logger.error(
        "Unhandled exception in %s %s",
        getattr(django_request, "method", "?"),
        getattr(django_request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    if sys.exc_info()[1] is exc:
        got_request_exception.send(sender=None, request=django_request)
    set_rollback()
    return Response(
        error_body("server_error", "Something went wrong on our side; it has been logged."),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
