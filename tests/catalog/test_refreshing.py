"""Shared caches served stale while one process rebuilds them (catalog/refreshing.py)."""

import threading
import time

import pytest
from django.core.cache import cache

from catalog import refreshing

KEY = "test-refreshing"


class Builder:
    """Counts its calls and returns the next value of ``values``."""

    def __init__(self, *values):
        self.values = list(values)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.values.pop(0)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _expire(key=KEY):
    value, version, _ = cache.get(key)
    cache.set(key, (value, version, time.time() - 1), 60)


def test_a_cold_cache_is_built_once_and_then_read():
    build = Builder("first")

    assert refreshing.cached(KEY, build, fresh_seconds=60) == "first"
    assert refreshing.cached(KEY, build, fresh_seconds=60) == "first"
    assert build.calls == 1


def test_a_stale_value_is_rebuilt_inline_when_so_configured(settings):
    settings.CATALOG_CACHE_REFRESH = "inline"
    build = Builder("first", "second")
    refreshing.cached(KEY, build, fresh_seconds=60)
    _expire()

    assert refreshing.cached(KEY, build, fresh_seconds=60) == "second"


def test_a_stale_value_is_served_at_once_while_a_thread_rebuilds_it(settings):
    settings.CATALOG_CACHE_REFRESH = "thread"
    refreshing.refresh(KEY, lambda: "old", fresh_seconds=60)
    _expire()
    release, built = threading.Event(), threading.Event()

    def slow_build():
        release.wait(5)
        built.set()
        return "new"

    assert refreshing.cached(KEY, slow_build, fresh_seconds=60) == "old"
    assert refreshing.cached(KEY, slow_build, fresh_seconds=60) == "old"  # still rebuilding
    release.set()
    assert built.wait(5)
    deadline = time.monotonic() + 5
    while cache.get(KEY)[0] != "new" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert refreshing.cached(KEY, slow_build, fresh_seconds=60) == "new"


def test_only_the_process_holding_the_lock_rebuilds(settings):
    settings.CATALOG_CACHE_REFRESH = "inline"
    refreshing.refresh(KEY, lambda: "old", fresh_seconds=60)
    _expire()
    cache.add(f"{KEY}:rebuilding", "1", 60)  # another process is rebuilding
    build = Builder("new")

    assert refreshing.cached(KEY, build, fresh_seconds=60) == "old"
    assert build.calls == 0


def test_a_value_built_for_an_older_version_is_rebuilt(settings):
    settings.CATALOG_CACHE_REFRESH = "inline"
    build = Builder("for v1", "for v2")
    refreshing.cached(KEY, build, fresh_seconds=60, version=1)

    assert refreshing.cached(KEY, build, fresh_seconds=60, version=1) == "for v1"
    assert refreshing.cached(KEY, build, fresh_seconds=60, version=2) == "for v2"


def test_a_failed_background_rebuild_keeps_the_stale_value_and_frees_the_lock(settings):
    settings.CATALOG_CACHE_REFRESH = "thread"
    refreshing.refresh(KEY, lambda: "old", fresh_seconds=60)
    _expire()
    failed = threading.Event()

    def broken_build():
        failed.set()
        raise RuntimeError("database went away")

    assert refreshing.cached(KEY, broken_build, fresh_seconds=60) == "old"
    assert failed.wait(5)
    deadline = time.monotonic() + 5
    while cache.get(f"{KEY}:rebuilding") is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.get(f"{KEY}:rebuilding") is None
    assert cache.get(KEY)[0] == "old"


def test_a_cold_request_waits_for_the_build_another_process_has_started():
    cache.add(f"{KEY}:rebuilding", "1", 60)
    build = Builder("built here")
    threading.Timer(
        0.2, lambda: refreshing.refresh(KEY, lambda: "built there", fresh_seconds=60)
    ).start()

    assert refreshing.cached(KEY, build, fresh_seconds=60) == "built there"
    assert build.calls == 0


def test_marking_a_value_stale_keeps_serving_it_until_rebuilt(settings):
    settings.CATALOG_CACHE_REFRESH = "inline"
    refreshing.refresh(KEY, lambda: "old", fresh_seconds=60)
    refreshing.mark_stale(KEY)

    assert cache.get(KEY)[0] == "old"
    assert refreshing.cached(KEY, lambda: "new", fresh_seconds=60) == "new"


@pytest.mark.django_db
def test_the_beat_job_rebuilds_the_vocabulary_and_home_counts(monkeypatch):
    from catalog.models import VOCABULARY_CACHE_KEY
    from shop.selectors import HOME_CACHE_KEY
    from shop.tasks import refresh_shared_caches
    from tests.factories import PartFactory

    PartFactory()
    refresh_shared_caches()

    assert cache.get(VOCABULARY_CACHE_KEY) is not None
    assert cache.get(HOME_CACHE_KEY)[0]["categories"]


@pytest.mark.django_db
def test_a_category_page_counts_again_after_its_parts_change(client):
    from tests.factories import CategoryFactory, PartFactory

    category = CategoryFactory(name="Chip Resistors", slug="chip-resistors")
    PartFactory(category=category)
    url = f"/c/{category.path}/"
    assert "1 part" in client.get(url).content.decode()
    PartFactory(category=category)

    assert "2 parts" in client.get(url).content.decode()


def test_a_value_built_for_an_older_version_is_fresh_within_its_settling_time():
    build = Builder("first", "second")
    refreshing.cached(KEY, build, fresh_seconds=60, version=1)

    assert refreshing.cached(KEY, build, fresh_seconds=60, version=2, settle_seconds=30) == "first"
    assert build.calls == 1


def test_past_its_settling_time_a_value_for_an_older_version_is_rebuilt(settings):
    settings.CATALOG_CACHE_REFRESH = "inline"
    build = Builder("first", "second")
    refreshing.cached(KEY, build, fresh_seconds=60, version=1)
    value, version, fresh_until = cache.get(KEY)
    cache.set(KEY, (value, version, fresh_until - 31), 60)  # built 31 s ago

    assert refreshing.cached(KEY, build, fresh_seconds=60, version=2, settle_seconds=30) == "second"


def test_a_cold_value_asked_for_without_waiting_is_built_in_the_background(settings):
    settings.CATALOG_CACHE_REFRESH = "thread"
    release, built = threading.Event(), threading.Event()

    def slow_build():
        release.wait(5)
        built.set()
        return "built"

    answer = refreshing.cached(KEY, slow_build, fresh_seconds=60, cold="not yet")
    release.set()
    built.wait(5)
    deadline = time.monotonic() + 5
    while cache.get(KEY) is None and time.monotonic() < deadline:
        time.sleep(0.01)

    assert answer == "not yet"
    assert refreshing.cached(KEY, slow_build, fresh_seconds=60, cold="not yet") == "built"
