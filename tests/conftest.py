import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, as a fresh deploy would."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
