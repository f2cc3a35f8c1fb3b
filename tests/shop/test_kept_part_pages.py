"""Kept anonymous part pages answered in front of Django (shop.kept_pages.KeptPartPages, the
WSGI application of shop.wsgi): the same status, bytes and headers as the whole middleware
stack, without reaching Django once the page is kept; everything the middleware would
answer differently still reaches it."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory

from catalog import services
from catalog.models import PriceBreak
from shop.kept_pages import KeptPartPages
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_keeps_the_test_connection")]

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def make_part(mpn="RC0603FR-0710KL", price="0.0120"):
    part = PartFactory(
        mpn=mpn,
        manufacturer=ManufacturerFactory(name=f"Maker {mpn}", slug=f"maker-{mpn.lower()}"),
        category=CategoryFactory(name=f"Chips {mpn}", slug=f"chips-{mpn.lower()}"),
    )
    StockFactory(part=part, on_hand=5000)
    PriceBreakFactory(
        packaging=PackagingOptionFactory(part=part), min_quantity=1, unit_price=Decimal(price)
    )
    return part


@pytest.fixture
def part():
    return make_part()


class Django:
    """Django's own handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def django_app():
    return Django()


@pytest.fixture
def front(django_app):
    return KeptPartPages(django_app)


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.content = body

    def __getitem__(self, name):
        return self.headers[name]


def call(app, path, *, method="get", secure=True, **headers) -> Answer:
    environ = getattr(RequestFactory(), method)(path, secure=secure, headers=headers).environ
    # As a WSGI server sends it: the address's bytes read as latin-1.
    environ["PATH_INFO"] = environ["PATH_INFO"].encode().decode("latin-1")
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    chunks = app(environ, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return Answer(seen["status"], seen["headers"], body)


def kept(front, url, **headers) -> Answer:
    """Asks until the front answers without Django: the first read renders and keeps the
    page, the next teaches the front the headers of its kind."""
    for _ in range(3):
        before = front.application.calls
        answer = call(front, url, **headers)
        if front.application.calls == before:
            return answer
    raise AssertionError("the front never answered")


def without_request_id(answer) -> dict:
    return {name: value for name, value in answer.headers.items() if name != "X-Request-ID"}


def test_a_kept_page_is_answered_without_reaching_django(front, part):
    call(front, part.get_absolute_url())
    call(front, part.get_absolute_url())
    calls = front.application.calls

    answer = call(front, part.get_absolute_url())

    assert answer.status_code == 200
    assert front.application.calls == calls


def test_a_kept_page_costs_no_query(front, part, django_assert_num_queries):
    kept(front, part.get_absolute_url())

    with django_assert_num_queries(0):
        call(front, part.get_absolute_url())


def test_a_first_read_asks_the_cache_for_the_page_once(front, part):
    from catalog import page_cache

    with mock.patch.object(page_cache, "recall", wraps=page_cache.recall) as recall:
        answer = call(front, part.get_absolute_url())

    assert answer.status_code == 200
    assert recall.call_count == 1


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_the_front_answers_with_the_bytes_and_headers_of_the_whole_stack(
    front, part, prefix, settings
):
    url = prefix + part.get_absolute_url()
    settings.CATALOG_PAGE_CACHE_EARLY = False
    Client().get(url, secure=True)
    whole_stack = Client().get(url, secure=True)
    settings.CATALOG_PAGE_CACHE_EARLY = True

    answer = kept(front, url)

    assert answer.content == whole_stack.content
    assert without_request_id(answer) == without_request_id(whole_stack)


def test_headers_learned_on_one_part_carry_the_next_parts_own(front, part):
    other = make_part(mpn="GRM155R71C104KA88D", price="0.0031")
    kept(front, part.get_absolute_url())
    call(front, other.get_absolute_url())  # rendered and kept by Django
    whole_stack = Client().get(other.get_absolute_url(), secure=True)

    answer = call(front, other.get_absolute_url())

    assert front.application.calls == 3
    assert answer.content == whole_stack.content
    assert without_request_id(answer) == without_request_id(whole_stack)
    assert answer["xkey"] == answer["Surrogate-Key"] == f"part-{other.pk}"


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_a_revalidation_is_answered_304_with_the_whole_stacks_headers(
    front, part, prefix, settings
):
    url = prefix + part.get_absolute_url()
    etag = kept(front, url)["ETag"]
    settings.CATALOG_PAGE_CACHE_EARLY = False
    whole_stack = Client().get(url, secure=True, headers={"if-none-match": etag})
    settings.CATALOG_PAGE_CACHE_EARLY = True

    answer = kept(front, url, if_none_match=etag)

    assert answer.status_code == whole_stack.status_code == 304
    assert answer.content == b""
    assert without_request_id(answer) == without_request_id(whole_stack)


def test_an_old_etag_gets_the_page(front, part):
    kept(front, part.get_absolute_url())

    answer = kept(front, part.get_absolute_url(), if_none_match='"an-older-page"')

    assert answer.status_code == 200
    assert answer.content


def test_an_unchanged_date_is_answered_304(front, part):
    last_modified = kept(front, part.get_absolute_url())["Last-Modified"]

    answer = kept(front, part.get_absolute_url(), if_modified_since=last_modified)

    assert answer.status_code == 304


def test_a_chinese_page_is_not_answered_with_english_headers(front, part):
    kept(front, part.get_absolute_url())

    answer = kept(front, "/zh-hans" + part.get_absolute_url())

    assert answer["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in answer["Vary"]


def test_a_price_change_shows_on_the_next_request(front, part):
    kept(front, part.get_absolute_url())
    PriceBreak.objects.filter(packaging__part=part).update(unit_price=Decimal("0.0077"))
    services.part_page_touch(part_ids=[part.pk])

    answer = call(front, part.get_absolute_url())

    assert "0.0077" in answer.content.decode()


def test_a_stock_change_answers_the_old_etag_with_the_new_page(front, part):
    before = kept(front, part.get_absolute_url())
    services.stock_set_on_hand(part_id=part.pk, on_hand=4321)

    answer = call(front, part.get_absolute_url(), if_none_match=before["ETag"])

    assert answer.status_code == 200
    assert "4,321" in answer.content.decode()


def test_each_answer_has_a_new_request_id_or_the_one_sent(front, part):
    first = kept(front, part.get_absolute_url())
    second = call(front, part.get_absolute_url())
    sent = call(front, part.get_absolute_url(), x_request_id="proxy-42")

    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert sent["X-Request-ID"] == "proxy-42"


def test_a_visitors_view_is_counted_once(front, part):
    from customers import behaviour

    kept(front, part.get_absolute_url(), user_agent=FIREFOX)
    before = behaviour.buffer().size()

    call(front, part.get_absolute_url(), user_agent=FIREFOX)

    assert behaviour.buffer().size() == before + 1


def test_a_crawlers_view_is_not_counted(front, part):
    from customers import behaviour

    kept(front, part.get_absolute_url())
    before = behaviour.buffer().size()

    call(front, part.get_absolute_url(), user_agent="Baiduspider/2.0")

    assert behaviour.buffer().size() == before


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("{url}?currency=USD", {}, 200),
        ("{url}", {"cookie": "sessionid=abc"}, 200),
        ("{url}", {"authorization": "Token abc"}, 200),
        ("{url}", {"accept_language": "zh-CN,zh;q=0.9"}, 302),
        ("{url}", {"host": "evil.example"}, 400),
        ("/part/maker-rc0603fr-0710kl/rc0603fr-0710kl/", {}, 301),
    ],
    ids=["query", "session", "credentials", "chinese-browser", "unknown-host", "other-spelling"],
)
def test_what_the_middleware_answers_differently_reaches_django(
    front, part, path, headers, status
):
    kept(front, part.get_absolute_url())
    calls = front.application.calls

    answer = call(front, path.format(url=part.get_absolute_url()), **headers)

    assert front.application.calls == calls + 1
    assert answer.status_code == status


def test_a_non_ascii_address_reaches_django_as_the_server_sent_it(front, part):
    answer = call(front, "/part/maker-rc0603fr-0710kl/%C4%80%E7%94%B5/")

    assert answer.status_code == 404


def test_a_chinese_browser_is_sent_to_the_chinese_page(front, part):
    kept(front, part.get_absolute_url())

    answer = call(front, part.get_absolute_url(), accept_language="zh-CN,zh;q=0.9")

    assert answer.status_code == 302
    assert answer["Location"] == "/zh-hans" + part.get_absolute_url()


def test_an_unknown_host_is_refused(front, part):
    kept(front, part.get_absolute_url())

    answer = call(front, part.get_absolute_url(), host="evil.example")

    assert answer.status_code == 400


def test_a_head_request_reaches_django(front, part):
    kept(front, part.get_absolute_url())
    calls = front.application.calls

    answer = call(front, part.get_absolute_url(), method="head")

    assert front.application.calls == calls + 1
    assert answer.status_code == 200  # the WSGI server leaves out the body


def test_plain_http_is_sent_to_https_when_the_store_requires_it(part, settings):
    settings.SECURE_SSL_REDIRECT = True
    front = KeptPartPages(Django())  # SecurityMiddleware reads the setting when it starts
    kept(front, part.get_absolute_url())

    answer = call(front, part.get_absolute_url(), secure=False)

    assert answer.status_code == 301
    assert answer["Location"].startswith("https://")


def test_https_and_plain_http_answers_are_learned_apart(front, part):
    kept(front, part.get_absolute_url())

    answer = kept(front, part.get_absolute_url(), secure=False)

    assert "Strict-Transport-Security" not in answer.headers


def test_a_failure_in_front_is_answered_by_django(front, part):
    kept(front, part.get_absolute_url())
    calls = front.application.calls

    broken = RuntimeError("broken")
    with mock.patch.object(KeptPartPages, "_status", side_effect=broken):
        answer = call(front, part.get_absolute_url())

    assert answer.status_code == 200
    assert front.application.calls == calls + 1


def test_off_when_early_answers_are_off(front, part, settings):
    kept(front, part.get_absolute_url())
    settings.CATALOG_PAGE_CACHE_EARLY = False
    calls = front.application.calls

    call(front, part.get_absolute_url())

    assert front.application.calls == calls + 1


def test_the_web_processes_serve_the_front():
    from shop.wsgi import application

    assert isinstance(application, KeptPartPages)
