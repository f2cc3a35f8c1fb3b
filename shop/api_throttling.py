"""Rate limits of the API, counted where every worker sees them: the Django cache (Redis).

Two fixed windows per caller: a burst window (per second) and a sustained one (per minute),
each an atomic counter (``cache.add`` then ``cache.incr``). The caller is the customer for an
API key, a token or a session, otherwise the client address (``REMOTE_ADDR`` as
``shop.middleware.ClientIpMiddleware`` resolved it past the ``TRUSTED_PROXY_COUNT`` proxies we
run), so a made-up ``X-Forwarded-For`` changes nothing. Rates live in
``API_THROTTLE_RATES``. When the cache cannot be reached the request passes: a limit is not
worth an outage.

In ``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``; a view needs no import from here.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger("shop.api")

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600,
            "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'60/min' → (60, 60); '5/s' → (5, 1)."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip().lower()]


def client_ip(request) -> str:
    """The client's address, as ``ClientIpMiddleware`` read it past our trusted proxies
    (counted from the right of X-Forwarded-For; entries further left are whatever the
    client wrote)."""
    return request.META.get("REMOTE_ADDR", "") or ""


def caller_kind(request) -> str:
    user = getattr(request, "user", None)
    return "customer" if user is not None and user.is_authenticated else "anonymous"


def caller_ident(request) -> str:
    if caller_kind(request) == "customer":
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request)}"


class _WindowThrottle(BaseThrottle):
    window = ""  # "burst" or "sustained"

    def rate_for(self, request) -> tuple[int, int] | None:
        rate = settings.API_THROTTLE_RATES.get(f"{caller_kind(request)}_{self.window}")
        return parse_rate(rate) if rate else None

    def allow_request(self, request, view):
        self._wait = None
        rate = self.rate_for(request)
        if rate is None:
            return True
        limit, period = rate
        now = time.time()
        window_start = int(now // period) * period
        key = f"api-throttle:{self.window}:{caller_ident(request)}:{period}:{window_start}"
        try:
            cache.add(key, 0, timeout=period + 5)
            count = cache.incr(key)
        except Exception:  # the cache is down or degraded: let the request through
            logger.warning("API rate limit not counted: cache unavailable", exc_info=True)
            return True
        if count > limit:
            self._wait = max(1, math.ceil(window_start + period - now))
            return False
        return True

    def wait(self):
        return self._wait


class BurstRateThrottle(_WindowThrottle):
    """Requests per second (``anonymous_burst`` / ``customer_burst``)."""

    window = "burst"


class SustainedRateThrottle(_WindowThrottle):
    """Requests per minute (``anonymous_sustained`` / ``customer_sustained``)."""

    window = "sustained"
