"""Health check: the state of database, cache and broker, as JSON for load balancers.

200 while the store can serve: "ok" with everything up, "degraded" with the cache or the
broker down (pages are slower and queued emails wait in the outbox) or an outbox backlog
older than ``OUTBOX_BACKLOG_ALERT_SECONDS`` (the relay is not running). 503 ("down") when
the database is down, so a load balancer takes the instance out.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is not usable
        return f"down: {exc.__class__.__name__}"
    return "ok"


def _check_cache() -> str:
    key = "healthz:probe"
    try:
        cache.set(key, "1", timeout=10)
        if cache.get(key) != "1":
            # The store's Redis cache swallows an outage (shop.cache) and says so here.
            unreachable = getattr(cache, "is_down", False)
            return "down: unreachable" if unreachable else "down: value not read back"
    except Exception as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        import redis

        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def _outbox_backlog(database_up: bool) -> tuple[str, dict | None]:
    """Jobs written but not yet handed to the broker, and how long the oldest has waited."""
    if not database_up:
        return "unknown", None
    from .outbox import outbox_backlog

    try:
        backlog = outbox_backlog()
    except Exception as exc:  # e.g. the outbox table not migrated yet
        return f"down: {exc.__class__.__name__}", None
    if backlog["oldest_age_seconds"] > settings.OUTBOX_BACKLOG_ALERT_SECONDS:
        return "backlog", backlog
    return "ok", backlog


@never_cache
def healthz(request):
    started = time.monotonic()
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    database_up = checks["database"] == "ok"
    checks["outbox"], backlog = _outbox_backlog(database_up)
    all_up = all(state in ("ok", "eager") for state in checks.values())
    body = {
        "status": "ok" if all_up else ("degraded" if database_up else "down"),
        "checks": checks,
        "outbox": backlog,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if database_up else 503)
