"""Settings for the test suite: the store's settings with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from shop.settings import *  # noqa: E402,F403
from shop.settings import STATIC_ROOT, STORAGES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tasks run in-process in tests (results are asserted right away); the broker is still the
# real Redis under `make test`, which /healthz checks.
CELERY_TASK_ALWAYS_EAGER = True
# A stale shared cache is rebuilt in the request, inside the test's transaction.
CATALOG_CACHE_REFRESH = "inline"
# A category's listing index follows every change at once, not at most once a minute.
CATALOG_LISTING_SETTLE_SECONDS = 0
# A search finds what the test just created (tests/catalog/test_search_cache.py turns it on).
CATALOG_SEARCH_CACHE_SECONDS = 0
# Live-server tests must not leave connections open when the test database is dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tests call the API faster than any client may; the rate-limit tests set the real rates.
API_THROTTLE_RATES = {
    "anonymous_burst": "10000/s",
    "anonymous_sustained": "100000/min",
    "customer_burst": "10000/s",
    "customer_sustained": "100000/min",
}

# Behaviour events are buffered in the process; tests flush the buffer themselves.
CUSTOMERS_EVENTS_BUFFER = "memory"

# Each pytest-xdist worker gets its own Redis database: the cache is cleared before every
# test (FLUSHDB), which must not empty the counters of a test running in another worker.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)  # noqa: F405
    _database = 1 + int(_worker[2:]) % 15
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{_database}"))
    for _cache in CACHES.values():  # noqa: F405
        _cache["LOCATION"] = REDIS_URL
