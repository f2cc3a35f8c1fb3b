import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, as a fresh deploy would."""
    from django.core.cache import caches

    from catalog.listing_index import forget_local_indexes

    for cache in caches.all():
        cache.clear()
    forget_local_indexes()
    yield


@pytest.fixture(autouse=True)
def _english_after_chinese_requests():
    """A Chinese request leaves its language active in the test's thread; whatever test runs
    next starts in English, as a new request would."""
    yield
    from django.utils import translation

    translation.activate("en")


def pytest_sessionstart(session):
    """Compile the project's translations when a .po file is newer than its .mo, so a plain
    ``pytest`` serves the Chinese pages the .po files describe."""
    from pathlib import Path

    locale_dir = Path(__file__).resolve().parent.parent / "locale"
    stale = [
        po
        for po in locale_dir.glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.stat().st_mtime > po.with_suffix(".mo").stat().st_mtime
    ]
    if not stale:
        return
    import os

    from django.core.management import call_command

    previous = os.getcwd()
    os.chdir(locale_dir.parent)
    try:
        call_command("compilemessages", locale=[po.parent.parent.name for po in stale],
                     ignore_patterns=[".venv", "var", "node_modules"], verbosity=0)
    finally:
        os.chdir(previous)
