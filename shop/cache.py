"""A Redis cache that degrades to no cache while Redis is unreachable.

The store only caches what it can compute again, so a cache outage must cost speed, never a
page: every operation that cannot reach Redis behaves as a miss (reads), a no-op (writes) or
a missing key (``incr``), and the outage is logged once a minute, not once per call. After a
failure Redis is left alone for ``RETRY_SECONDS``, so a down or black-holed server does not
add its connect timeout to every cache call of every request.
"""

from __future__ import annotations

import logging
import threading
import time

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

#: What "Redis is not there" looks like from redis-py (and the sockets under it).
UNREACHABLE = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,
    OSError,
)
RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new redis-py client (and its table of ~170 reply parsers) for every
    cache call; one client per connection pool does the same work once per process (a
    client is safe to share between threads: each command takes a pooled connection)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._logged_at = 0.0
        self._failures = 0

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_SECONDS
            self._failures += 1
            if now - self._logged_at < LOG_EVERY_SECONDS and self._logged_at:
                return
            self._logged_at, failures, self._failures = now, self._failures, 0
        logger.warning(
            "cache unreachable, serving without it (%s: %s; %d failed calls since last report)",
            operation,
            error.__class__.__name__,
            failures,
        )

    def _call(self, operation: str, fallback, *args, **kwargs):
        if self.is_down:
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE as error:
            self._failed(operation, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
