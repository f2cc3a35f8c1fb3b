"""Sign-in throttling against password guessing: atomic counters in the cache.

Three counters, each over a fixed window, limit the password checks:

- per account and client IP, the strict limit (``CUSTOMERS_LOGIN_MAX_FAILURES`` per
  ``CUSTOMERS_LOGIN_WINDOW_SECONDS``): a guesser is stopped after a handful of tries, and
  only for that address, so guessing from elsewhere never locks the owner out;
- per client IP over all accounts (``CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP``): one address
  trying many accounts;
- per account over all addresses (``CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT`` an hour, at
  most 100 as OWASP ASVS asks): guessing spread over many addresses. An address the account
  has signed in from before is not held by this one, so a botnet cannot lock a customer out.

The account is named as Django's sign-in reads it (NFKC) and case-folded, so look-alike
spellings (a fullwidth "ａ") count against the same account. An attempt is counted *before*
its password is checked (``cache.add`` + ``cache.incr``, atomic in Redis and in the local
cache), so parallel attempts never get more checks than the limit; a successful sign-in
gives its reservation back. If the cache is unreachable the counting goes on in this
process's memory: a Redis outage neither opens sign-in to unlimited guessing nor answers 500.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import unicodedata
from dataclasses import dataclass, field

import redis.exceptions
from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

KNOWN_ADDRESS_SECONDS = 90 * 24 * 3600
ACCOUNT_WINDOW_SECONDS = 3600
_UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
_local = LocMemCache("customers-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


def normalize_account(email: str) -> str:
    """The account an attempt is for, however it is spelled (NFKC as Django's sign-in form
    reads usernames, then case-folded)."""
    return unicodedata.normalize("NFKC", email or "").strip().casefold()


def _digest(account: str) -> str:
    return hashlib.sha256(account.encode()).hexdigest()[:32]


def _cache():
    try:
        return caches["throttle"]
    except InvalidCacheBackendError:
        return caches["default"]


def _run(operation, *args):
    """``operation`` on the shared cache, or on this process's memory if it is down."""
    try:
        return getattr(_cache(), operation)(*args)
    except _UNREACHABLE as error:
        logger.warning("sign-in throttle counting in-process: cache unreachable (%r)", error)
        return getattr(_local, operation)(*args)


def _count(key: str, timeout: int, delta: int = 1) -> int:
    """Add ``delta`` to a counter atomically, creating it for ``timeout`` seconds."""

    def bump(cache) -> int:
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key, delta)
        except ValueError:  # expired between the two calls
            cache.add(key, delta, timeout)
            return delta

    try:
        return bump(_cache())
    except _UNREACHABLE as error:
        logger.warning("sign-in throttle counting in-process: cache unreachable (%r)", error)
        return bump(_local)


@dataclass
class Attempt:
    """One sign-in attempt: whether its password may be checked, and what it reserved."""

    account: str
    ip: str | None
    wait: int = 0
    reserved: list[tuple[str, int]] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.wait == 0


def _limits(account: str, ip: str | None) -> list[tuple[str, int, int]]:
    """(key, limit, window seconds) of each counter that applies to the attempt."""
    window = settings.CUSTOMERS_LOGIN_WINDOW_SECONDS
    digest = _digest(account)
    counters = [(f"pair:{digest}:{ip or '-'}", settings.CUSTOMERS_LOGIN_MAX_FAILURES, window)]
    if ip:
        counters.append((f"ip:{ip}", settings.CUSTOMERS_LOGIN_MAX_FAILURES_PER_IP, window))
        if not _run("get", f"customers:login:known:{digest}:{ip}"):
            counters.append(
                (
                    f"account:{digest}",
                    settings.CUSTOMERS_LOGIN_MAX_FAILURES_PER_ACCOUNT,
                    ACCOUNT_WINDOW_SECONDS,
                )
            )
    return counters


def attempt_begin(*, email: str, ip: str | None) -> Attempt:
    """Count an attempt before its password is checked; ``wait`` > 0 refuses it.

    A window opens with its first attempt and closes ``window`` seconds later."""
    attempt = Attempt(account=normalize_account(email), ip=ip)
    now = time.time()
    for name, limit, window in _limits(attempt.account, ip):
        key = f"customers:login:{name}"
        _run("add", key + ":since", now, window)
        count = _count(key, window)
        attempt.reserved.append((key, window))
        if count > limit:
            since = _run("get", key + ":since") or now
            attempt.wait = max(1, math.ceil(since + window - now))
            break  # a refused attempt does not count against the wider limits
    return attempt


def attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: the attempt is no failure, and its address becomes known."""
    for key, timeout in attempt.reserved:
        if ":pair:" in key:
            _run("delete_many", [key, key + ":since"])
        else:
            _count(key, timeout, -1)
    if attempt.ip:
        digest = _digest(attempt.account)
        _run("set", f"customers:login:known:{digest}:{attempt.ip}", 1, KNOWN_ADDRESS_SECONDS)


def client_ip(request) -> str | None:
    """The client's address (shop.middleware.ClientIpMiddleware puts the address the trusted
    proxies saw into REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many sign-in attempts, try again in %(minutes)d minute.",
        "Too many sign-in attempts, try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
