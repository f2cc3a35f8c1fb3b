"""Catalog pages a shared cache (Varnish, a CDN) may keep: no cookie, s-maxage, surrogate
keys; and the CSRF token a cached part page's cart form gets when the visitor acts."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from catalog import services
from catalog.tasks import PurgeFailed, purge_part_pages
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def part():
    root = CategoryFactory(name="Resistors", slug="resistors")
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors", parent=root)
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=ManufacturerFactory(name="YAGEO", slug="yageo"),
        category=chip,
    )
    StockFactory(part=part, on_hand=5000)
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part), min_quantity=1)
    return part


def _pages(part):
    return {
        "part": part.get_absolute_url(),
        "category": f"/c/{part.category.path}/",
        "manufacturer": f"/m/{part.manufacturer.slug}/",
    }


@pytest.mark.parametrize("kind", ["part", "category", "manufacturer"])
@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_anonymous_catalog_page_sets_no_cookie(part, kind, prefix):
    response = Client().get(prefix + _pages(part)[kind])

    assert response.status_code == 200
    assert dict(response.cookies) == {}


@pytest.mark.parametrize("kind", ["part", "category", "manufacturer"])
def test_anonymous_catalog_page_may_be_kept_by_shared_caches(part, kind, settings):
    settings.HTTP_CACHE_S_MAXAGE = 300
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 86400

    response = Client().get(_pages(part)[kind])

    assert response["Cache-Control"] == (
        "public, max-age=0, s-maxage=300, stale-while-revalidate=86400"
    )


@pytest.mark.parametrize(
    "kind, key",
    [("part", "part-{part}"), ("category", "category-{category}"),
     ("manufacturer", "manufacturer-{manufacturer}")],
)
def test_catalog_page_names_its_surrogate_key(part, kind, key):
    expected = key.format(
        part=part.pk, category=part.category_id, manufacturer=part.manufacturer_id
    )

    response = Client().get(_pages(part)[kind])

    assert response["xkey"] == expected
    assert response["Surrogate-Key"] == expected


def test_signed_in_part_page_stays_private(part):
    client = Client()
    client.force_login(get_user_model().objects.create_user("buyer@example.com", "x"))

    response = client.get(part.get_absolute_url())

    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert not response.has_header("xkey")


def test_part_page_cart_form_carries_no_token(part):
    html = Client().get(part.get_absolute_url()).content.decode()

    assert 'name="csrfmiddlewaretoken" value=""' in html


def test_csrf_endpoint_answers_a_token_and_sets_the_cookie():
    response = Client().get("/csrf/")

    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content)["token"]
    assert "csrftoken" in response.cookies


def _post_without_cookie(part, prefix=""):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{prefix}/cart/add/", {"part": part.pk, "quantity": "100"})
    return client, response


def test_cart_post_without_cookie_answers_a_page_that_posts_again(part):
    _client, response = _post_without_cookie(part)
    html = response.content.decode()

    assert response.status_code == 403
    assert "Press Add to cart again" in html
    assert f'name="part" value="{part.pk}"' in html and 'name="quantity" value="100"' in html
    assert "csrftoken" in response.cookies


def test_second_press_of_the_repost_page_adds_to_cart(part):
    client, response = _post_without_cookie(part)
    token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    again = client.post(
        "/cart/add/", {"part": part.pk, "quantity": "100", "csrfmiddlewaretoken": token}
    )

    assert again.status_code in (200, 302, 303)


def test_repost_page_is_chinese_under_the_chinese_prefix(part):
    from tests.i18n.english import english_ui_strings

    _client, response = _post_without_cookie(part, "/zh-hans")
    html = response.content.decode()

    assert 'action="/zh-hans/cart/add/"' in html
    assert english_ui_strings(html) == []


def test_other_csrf_failure_answers_a_plain_403(part):
    client = Client(enforce_csrf_checks=True)
    client.get("/csrf/")

    response = client.post("/cart/add/", {"part": part.pk, "quantity": "100"})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert 'name="quantity"' not in response.content.decode()


# --- Purges ---------------------------------------------------------------------------------


class _PurgeRecorder(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_PURGE(self):  # noqa: N802
        type(self).received.append((self.command, self.headers.get("xkey-purge")))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    _PurgeRecorder.received = []
    _PurgeRecorder.status = 200
    server = HTTPServer(("127.0.0.1", 0), _PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _PurgeRecorder
    server.shutdown()
    server.server_close()


def test_purge_task_sends_the_keys_of_every_page_showing_the_part(part, purge_server, settings):
    server, recorder = purge_server
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]

    purge_part_pages.apply(kwargs={"part_ids": [part.pk]}).get()

    method, keys = recorder.received[0]
    assert method == "PURGE"
    assert set(keys.split()) == {
        f"part-{part.pk}",
        f"category-{part.category_id}",
        f"category-{part.category.parent_id}",
        f"manufacturer-{part.manufacturer_id}",
    }


def test_purge_task_raises_for_retry_when_the_cache_refuses(part, purge_server, settings):
    server, recorder = purge_server
    recorder.status = 500
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]

    with pytest.raises(PurgeFailed):
        purge_part_pages.run(part_ids=[part.pk])


def test_purge_task_without_caches_configured_sends_nothing(part, settings):
    settings.HTTP_CACHE_PURGE_URLS = []

    assert purge_part_pages.run(part_ids=[part.pk]) == 0


def test_stock_change_purges_the_part_after_commit(
    part, purge_server, settings, django_capture_on_commit_callbacks
):
    server, recorder = purge_server
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]

    with django_capture_on_commit_callbacks(execute=True):
        services.stock_set_on_hand(part_id=part.pk, on_hand=4000)

    assert any(f"part-{part.pk}" in keys.split() for _m, keys in recorder.received)


def test_purge_queues_nothing_without_caches(
    part, settings, django_capture_on_commit_callbacks
):
    settings.HTTP_CACHE_PURGE_URLS = []

    with django_capture_on_commit_callbacks() as callbacks:
        services.part_pages_purge(part_ids=[part.pk])

    assert callbacks == []
