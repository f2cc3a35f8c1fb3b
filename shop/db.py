"""A time limit on the database statements of storefront and API requests (PostgreSQL).

A query that runs away (a bad plan, a hostile search) would hold a web worker and a
database backend for as long as it runs. Requests of shoppers, crawlers and API clients run
their statements under ``DB_STATEMENT_TIMEOUT_MS``; the admin, imports, Celery tasks and
management commands are not limited (they never pass through this middleware, or are
exempt by path). A statement cut off answers 503 with a clear page or JSON body.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

QUERY_CANCELED = "57014"  # PostgreSQL SQLSTATE of a statement cut off by statement_timeout
RETRY_AFTER_SECONDS = 30
TIMEOUT_MESSAGE = (
    "This request took too long to answer and was stopped. Please try again in a moment, or "
    "narrow the search."
)


def is_statement_timeout(error: BaseException) -> bool:
    cause = error.__cause__ or error.__context__
    return isinstance(error, OperationalError) and getattr(cause, "sqlstate", None) == (
        QUERY_CANCELED
    )


class StatementTimeoutMiddleware:
    """Sets ``statement_timeout`` on the connection before a request's first statement (so a
    request that never queries opens no connection) and resets it afterwards, because the
    connection is reused by the admin and by later requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _limited(self, request) -> bool:
        if not settings.DB_STATEMENT_TIMEOUT_MS or connection.vendor != "postgresql":
            return False
        return not any(request.path.startswith(p) for p in settings.DB_STATEMENT_TIMEOUT_EXEMPT)

    def __call__(self, request):
        if not self._limited(request):
            return self.get_response(request)
        limited_connections: list = []
        milliseconds = int(settings.DB_STATEMENT_TIMEOUT_MS)

        def limit(execute, sql, params, many, context):
            raw = context["connection"].connection
            if raw is not None and not any(raw is seen for seen in limited_connections):
                limited_connections.append(raw)
                context["cursor"].cursor.execute(f"SET statement_timeout = {milliseconds}")
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(limit):
                return self.get_response(request)
        finally:
            if limited_connections and connection.connection is limited_connections[-1]:
                try:  # on the driver's cursor: not one of the request's counted queries
                    with connection.connection.cursor() as cursor:
                        cursor.execute("RESET statement_timeout")
                except Exception:  # noqa: BLE001 - a broken connection: any driver error
                    connection.close()  # a fresh connection starts without the limit

    def process_exception(self, request, exception):
        if not is_statement_timeout(exception):
            return None
        logger.warning("statement timeout on %s %s", request.method, request.get_full_path())
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"error": {"code": "timeout", "message": TIMEOUT_MESSAGE}}, status=503
            )
        else:
            response = render(
                request, "503.html", {"message": TIMEOUT_MESSAGE, "noindex": True}, status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
