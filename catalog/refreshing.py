"""Shared caches that no request waits to rebuild.

The search vocabulary, a category's facets and the home page's counts are aggregates over
the whole catalog: at a million parts each takes a second or more to compute. Kept with a
plain timeout, the request that finds one expired pays for it, and every worker that finds
it missing at that moment pays too.

Here a value is stored together with the moment it goes stale (``fresh_seconds`` after it
was built) and the version it was built for, and kept in the cache for a day beyond that.

- Fresh and of the current version: returned.
- Stale, or built for an older version (a category changed): still returned, and one
  process rebuilds it in a background thread. ``cache.add`` on a lock key decides which
  process; the others go on serving the stale value until the new one is stored.
- Missing altogether (a cold cache, a flush, Redis restarted): the first request builds it
  under the same lock; a concurrent one waits a moment for that value rather than building
  it a second time, and builds it itself only if the builder takes too long or fails.

A beat job (``catalog.tasks.refresh_shared_caches``) rebuilds the catalog-wide values ahead
of time, so in a running store a request finds them fresh.

``settings.CATALOG_CACHE_REFRESH = "inline"`` (the test suite) rebuilds a stale value in the
request instead of a thread, so that a test sees the result in its own transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)

#: How long past its freshness a value may still be served while it is rebuilt.
STALE_SECONDS = 24 * 3600
#: How long a rebuild may hold the lock before another process may try.
LOCK_SECONDS = 120
#: How long a request with a cold cache waits for another process's build.
COLD_WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.05
_WAIT = object()  # ``cached(cold=…)`` left out: a cold request waits for the value


def _lock_key(key: str) -> str:
    return f"{key}:rebuilding"


def _store(key: str, value: Any, version: Hashable, fresh_seconds: int) -> None:
    entry = (value, version, time.time() + fresh_seconds)
    cache.set(key, entry, fresh_seconds + STALE_SECONDS)


def _build_and_store(key, build, version, fresh_seconds) -> Any:
    try:
        value = build()
        _store(key, value, version, fresh_seconds)
        return value
    finally:
        cache.delete(_lock_key(key))


def _rebuild_in_thread(key, build, version, fresh_seconds) -> None:
    def run() -> None:
        try:
            _build_and_store(key, build, version, fresh_seconds)
        except Exception:  # the stale value stays; the next reader asks again
            logger.exception("rebuilding the cached %s failed", key)
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name=f"refresh {key}", daemon=True).start()


def _refresh_mode() -> str:
    return getattr(settings, "CATALOG_CACHE_REFRESH", "thread")


def cached(
    key: str,
    build: Callable[[], Any],
    *,
    fresh_seconds: int,
    version: Hashable = None,
    settle_seconds: int = 0,
    cold: Any = _WAIT,
) -> Any:
    """The value under ``key``, built by ``build()``; a stale one is served while it is
    rebuilt (see the module docstring). With ``settle_seconds``, a value built for an older
    version that is younger than that still counts as fresh, so a category whose parts
    change every few seconds is rebuilt at most that often. With ``cold``, a missing value is
    built in the background and ``cold`` returned at once, for a value that takes longer to
    build than a request may take (the caller answers another way meanwhile)."""
    entry = cache.get(key)
    if entry is not None:
        value, built_for, fresh_until = entry
        now = time.time()
        if now < fresh_until and (
            built_for == version or now < fresh_until - fresh_seconds + settle_seconds
        ):
            return value
        if cache.add(_lock_key(key), "1", LOCK_SECONDS):
            if _refresh_mode() == "inline":
                return _build_and_store(key, build, version, fresh_seconds)
            _rebuild_in_thread(key, build, version, fresh_seconds)
        return value
    if cold is not _WAIT:
        if cache.add(_lock_key(key), "1", LOCK_SECONDS):
            if _refresh_mode() == "inline":
                return _build_and_store(key, build, version, fresh_seconds)
            _rebuild_in_thread(key, build, version, fresh_seconds)
        return cold
    return _cold(key, build, version, fresh_seconds)


def _cold(key, build, version, fresh_seconds) -> Any:
    if cache.add(_lock_key(key), "1", LOCK_SECONDS):
        return _build_and_store(key, build, version, fresh_seconds)
    # Another process is building it: wait for its value instead of building it twice.
    deadline = time.monotonic() + COLD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None:
            return entry[0]
        if cache.get(_lock_key(key)) is None:  # that build failed or Redis went away
            break
    value = build()
    _store(key, value, version, fresh_seconds)
    return value


def refresh(key: str, build: Callable[[], Any], *, fresh_seconds: int, version=None) -> Any:
    """Build the value now and store it (a beat job, or a change whose next reader must see
    it, such as a new manufacturer alias before the next BOM upload)."""
    value = build()
    _store(key, value, version, fresh_seconds)
    return value


def mark_stale(key: str) -> None:
    """The next reader gets the current value and a rebuild starts (unlike ``cache.delete``,
    which makes the next reader wait for one)."""
    entry = cache.get(key)
    if entry is not None:
        value, version, _fresh_until = entry
        cache.set(key, (value, version, 0.0), STALE_SECONDS)
