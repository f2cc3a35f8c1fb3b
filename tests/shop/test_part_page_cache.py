"""The anonymous part page kept whole in the page cache and answered early
(shop.middleware.PartPageCacheMiddleware, catalog.views.cached_part_page): the same bytes
and headers for every visitor as the full middleware stack gives, fresh on the next request
after a change, one query for a cached page."""

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client

from catalog import services
from catalog.models import PriceBreak
from tests.customers.factories import CustomerFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db

#: Differ on every answer by design: the request's id.
PER_REQUEST = {"X-Request-ID"}


@pytest.fixture
def part():
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors")
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=ManufacturerFactory(name="YAGEO", slug="yageo"),
        category=chip,
    )
    StockFactory(part=part, on_hand=5000)
    PriceBreakFactory(
        packaging=PackagingOptionFactory(part=part), min_quantity=1, unit_price=Decimal("0.0120")
    )
    return part


def get(client, url, **headers):
    return client.get(url, secure=True, headers=headers)


def headers_of(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in PER_REQUEST}


def test_a_second_visitor_gets_the_same_bytes_and_no_cookie(part):
    first = get(Client(), part.get_absolute_url())

    second = get(Client(), part.get_absolute_url())

    assert second.status_code == 200
    assert second.content == first.content
    assert dict(second.cookies) == {}


def test_a_cached_page_is_answered_without_opening_the_session(part):
    get(Client(), part.get_absolute_url())

    with mock.patch.object(SessionMiddleware, "process_request") as session_opened:
        response = get(Client(), part.get_absolute_url())

    assert response.status_code == 200
    session_opened.assert_not_called()


def test_a_cached_page_costs_no_query(part, django_assert_num_queries):
    get(Client(), part.get_absolute_url())

    with django_assert_num_queries(0):
        response = get(Client(), part.get_absolute_url())
    assert part.mpn in response.content.decode()


def test_a_revalidation_answered_304_costs_no_query(part, django_assert_num_queries):
    first = get(Client(), part.get_absolute_url())

    with django_assert_num_queries(0):
        response = get(Client(), part.get_absolute_url(), if_none_match=first["ETag"])
    assert response.status_code == 304


def test_a_page_kept_longer_than_its_time_is_checked_in_one_query(
    part, settings, django_assert_num_queries
):
    first = get(Client(), part.get_absolute_url())
    from django.core.cache import cache

    cache.clear()  # the page's time in the page cache is over

    with django_assert_num_queries(1):
        response = get(Client(), part.get_absolute_url(), if_none_match=first["ETag"])
    assert response.status_code == 304


def test_a_first_render_costs_at_most_six_queries(part, django_assert_max_num_queries):
    from catalog import selectors

    selectors.category_tree()  # the site-wide category tree, loaded once for every page

    with django_assert_max_num_queries(6):
        response = get(Client(), part.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_early_answer_has_the_headers_of_the_whole_stack(part, prefix, settings):
    url = prefix + part.get_absolute_url()
    settings.CATALOG_PAGE_CACHE_EARLY = False
    get(Client(), url)
    whole_stack = get(Client(), url)
    settings.CATALOG_PAGE_CACHE_EARLY = True

    early = get(Client(), url)

    assert headers_of(early) == headers_of(whole_stack)
    assert early.content == whole_stack.content
    for name in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
                 "X-Frame-Options", "Content-Security-Policy", "Vary", "Content-Language"):
        assert early.has_header(name), name


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_early_first_render_is_the_whole_stacks_first_render(part, prefix, settings):
    from django.core.cache import cache

    url = prefix + part.get_absolute_url()
    settings.CATALOG_PAGE_CACHE_EARLY = False
    whole_stack = get(Client(), url)
    cache.clear()
    settings.CATALOG_PAGE_CACHE_EARLY = True

    with mock.patch.object(SessionMiddleware, "process_request") as session_opened:
        early = get(Client(), url)

    session_opened.assert_not_called()
    assert early.content == whole_stack.content
    assert headers_of(early) == headers_of(whole_stack)


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_early_304_has_the_headers_of_the_whole_stack(part, prefix, settings):
    url = prefix + part.get_absolute_url()
    etag = get(Client(), url)["ETag"]
    settings.CATALOG_PAGE_CACHE_EARLY = False
    whole_stack = get(Client(), url, if_none_match=etag)
    settings.CATALOG_PAGE_CACHE_EARLY = True

    early = get(Client(), url, if_none_match=etag)

    assert early.status_code == whole_stack.status_code == 304
    assert headers_of(early) == headers_of(whole_stack)
    assert "Content-Security-Policy" not in early


def test_the_page_carries_no_nonce_for_the_cached_copy_to_go_stale_on(part):
    response = get(Client(), part.get_absolute_url())

    assert "nonce" not in response.content.decode()
    assert "nonce-" not in response["Content-Security-Policy"]


def test_a_price_change_shows_on_the_next_request(part):
    get(Client(), part.get_absolute_url())
    PriceBreak.objects.filter(packaging__part=part).update(unit_price=Decimal("0.0077"))
    services.part_page_touch(part_ids=[part.pk])

    html = get(Client(), part.get_absolute_url()).content.decode()

    assert "0.0077" in html


def test_a_stock_change_shows_on_the_next_request(part):
    before = get(Client(), part.get_absolute_url())
    services.stock_set_on_hand(part_id=part.pk, on_hand=4321)

    after = get(Client(), part.get_absolute_url(), if_none_match=before["ETag"])

    assert after.status_code == 200
    assert "4,321" in after.content.decode()


def test_signed_in_customer_gets_the_shared_page_kept_private(part):
    anonymous = get(Client(), part.get_absolute_url())
    client = Client()
    client.force_login(CustomerFactory())

    response = get(client, part.get_absolute_url())

    assert response.content == anonymous.content
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("xkey") and not response.has_header("Surrogate-Key")
    assert response["ETag"] != anonymous["ETag"]


def test_visitor_with_a_cart_gets_the_shared_page(part):
    anonymous = get(Client(), part.get_absolute_url())
    client = Client()
    client.post("/cart/add/", {"part": part.pk, "quantity": "150"}, secure=True)

    response = get(client, part.get_absolute_url())

    assert response.content == anonymous.content
    assert '<a class="cart-link" href="/cart/">Cart</a>' in response.content.decode()


def test_the_header_names_no_visitor_and_fetches_their_state(part):
    html = get(Client(), part.get_absolute_url()).content.decode()

    assert 'data-state-url="/header-state/"' in html
    assert "/static/js/header-state.js" in html
    assert 'href="/cart/"' in html and 'href="/account/"' in html


def test_a_chinese_browser_is_still_sent_to_the_chinese_page(part):
    get(Client(), part.get_absolute_url())

    response = get(Client(), part.get_absolute_url(), accept_language="zh-CN,zh;q=0.9")

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans" + part.get_absolute_url()


def test_another_spelling_is_still_sent_to_the_canonical_url(part):
    get(Client(), part.get_absolute_url())

    response = get(Client(), "/part/yageo/rc0603fr-0710kl/")

    assert response.status_code == 301
    assert response["Location"] == part.get_absolute_url()


def test_an_unknown_host_is_refused_before_the_cache_answers(part):
    get(Client(), part.get_absolute_url())

    response = Client().get(part.get_absolute_url(), secure=True, HTTP_HOST="evil.example")

    assert response.status_code == 400


def test_a_cached_view_is_counted_once(part):
    from customers import behaviour

    get(Client(), part.get_absolute_url())
    before = behaviour.buffer().size()

    get(Client(), part.get_absolute_url(), user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/130")

    assert behaviour.buffer().size() == before + 1
