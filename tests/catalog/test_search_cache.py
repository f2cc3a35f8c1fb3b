"""A search with no filters keeps what it found for CATALOG_SEARCH_CACHE_SECONDS
(catalog.search.ranked_search): asked again, it reads no candidates, but its rows, their
prices and stock are read fresh, and every search is still logged."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from catalog.models import SearchLog
from tests.factories import PackagingOptionFactory, PartFactory, PriceBreakFactory, StockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_cache(settings):
    settings.CATALOG_SEARCH_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def parts():
    made = []
    for number in range(3):
        part = PartFactory(mpn=f"GRM188R71H10{number}KA01D", description="MLCC capacitor")
        option = PackagingOptionFactory(part=part)
        PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0100"))
        StockFactory(part=part, on_hand=500)
        made.append(part)
    return made


def search(client, q, **params):
    return client.get("/search/", {"q": q, **params}, secure=True)


def test_a_query_asked_again_reads_only_its_rows(client, parts, django_assert_max_num_queries):
    first = search(client, "GRM188R71H")
    assert first.status_code == 200 and parts[0].mpn in first.content.decode()

    with django_assert_max_num_queries(3) as queries:  # the rows, the search log (+ savepoint)
        again = search(client, "GRM188R71H")

    assert again.status_code == 200
    assert [p.mpn in again.content.decode() for p in parts] == [True, True, True]
    assert not any("LIMIT 1001" in q["sql"] for q in queries.captured_queries)
    assert SearchLog.objects.filter(normalized="GRM188R71H").count() == 2


def test_a_price_change_shows_on_the_next_search(client, parts):
    search(client, "GRM188R71H")
    breaks = parts[1].packaging_options.get().price_breaks.get()
    breaks.unit_price = Decimal("0.0777")
    breaks.save()

    assert "0.0777" in search(client, "GRM188R71H").content.decode()


def test_an_exact_part_number_asked_again_still_goes_to_its_page(client, parts):
    assert search(client, parts[2].mpn)["Location"] == parts[2].get_absolute_url()

    again = search(client, parts[2].mpn)

    assert again.status_code == 302 and again["Location"] == parts[2].get_absolute_url()
    assert SearchLog.objects.filter(kind="exact").count() == 2


def test_chinese_and_english_pages_keep_their_own_results(client, parts):
    english = search(client, parts[2].mpn)["Location"]
    chinese = client.get("/zh-hans/search/", {"q": parts[2].mpn}, secure=True)["Location"]

    assert english.startswith("/part/") and chinese == f"/zh-hans{english}"


def test_a_filtered_search_is_not_kept(client, parts):
    search(client, "GRM188R71H", stock="1")

    response = search(client, "GRM188R71H", stock="1")

    assert response.status_code == 200
    assert not any(key.startswith("search-ranked") for key in _cache_keys())


def test_with_the_cache_off_a_new_part_is_found_at_once(client, parts, settings):
    settings.CATALOG_SEARCH_CACHE_SECONDS = 0
    search(client, "GRM188R71H")
    PartFactory(mpn="GRM188R71H999KA01D")

    assert "GRM188R71H999KA01D" in search(client, "GRM188R71H").content.decode()


def _cache_keys() -> list[str]:
    backend = getattr(cache, "_cache", None)
    keys = getattr(backend, "keys", None) if backend is not None else None
    if keys is None:  # Redis under make test
        client = cache._cache.get_client()
        return [key.decode().split(":", 2)[-1] for key in client.keys("*")]
    return [key.split(":", 2)[-1] for key in backend]
