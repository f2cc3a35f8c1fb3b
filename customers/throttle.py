"""Sign-in throttling against password guessing, per email and per client IP, in the cache."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache


def _keys(email: str, ip: str | None) -> list[tuple[str, int]]:
    keys = [
        (
            f"customers:login-fail:email:{(email or '').strip().lower()}",
            settings.CUSTOMERS_LOGIN_MAX_FAILURES,
        )
    ]
    if ip:
        keys.append((f"customers:login-fail:ip:{ip}", settings.CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP))
    return keys


def client_ip(request) -> str | None:
    """The client's address as the web server saw it (the proxy sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def locked_for_seconds(*, email: str, ip: str | None) -> int:
    """Seconds until another attempt is allowed; 0 when sign-in is open."""
    now = time.time()
    wait = 0.0
    for key, limit in _keys(email, ip):
        failures = [
            t for t in cache.get(key, []) if t > now - settings.CUSTOMERS_LOGIN_WINDOW_SECONDS
        ]
        if len(failures) >= limit:
            oldest_counted = failures[-limit]
            wait = max(wait, oldest_counted + settings.CUSTOMERS_LOGIN_WINDOW_SECONDS - now)
    return math.ceil(wait)


def record_failure(*, email: str, ip: str | None) -> None:
    now = time.time()
    window = settings.CUSTOMERS_LOGIN_WINDOW_SECONDS
    for key, limit in _keys(email, ip):
        failures = [t for t in cache.get(key, []) if t > now - window][-limit:]
        cache.set(key, [*failures, now], timeout=window)


def clear_failures(*, email: str) -> None:
    cache.delete(_keys(email, None)[0][0])


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many sign-in attempts, try again in {minutes} {unit}."
