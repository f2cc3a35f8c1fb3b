"""Varnish with deploy/varnish/partline.vcl in front of a live store: anonymous catalog
pages are served from the cache, a change to a part purges them, and what is one visitor's
(signed in, a cart) goes through to the store every time."""

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

from catalog import services
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
)
VCL = Path(django_settings.BASE_DIR) / "deploy" / "varnish" / "partline.vcl"

pytestmark = [
    pytest.mark.skipif(VARNISHD is None, reason="varnishd is not installed"),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def varnish(live_server, tmp_path):
    backend_port = live_server.url.rsplit(":", 1)[1]
    vcl = tmp_path / "partline.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = _free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-n", str(tmp_path / "varnish"), "-a",
         f"127.0.0.1:{port}", "-f", str(vcl), "-s", "malloc,32m", "-T", "none"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"varnishd did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def _get(url: str, cookie: str = ""):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def part():
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=ManufacturerFactory(name="YAGEO", slug="yageo"),
        category=CategoryFactory(name="Chip Resistors", slug="chip-resistors"),
    )
    StockFactory(part=part, on_hand=5000)
    PriceBreakFactory(packaging=PackagingOptionFactory(part=part), min_quantity=1)
    return part


def test_second_request_of_an_anonymous_part_page_is_a_hit(varnish, part):
    url = varnish + part.get_absolute_url()
    _get(url)

    status, headers, _body = _get(url)

    assert status == 200 and headers["X-Cache"] == "HIT"


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_anonymous_catalog_pages_through_the_cache_set_no_cookie(varnish, part, prefix):
    for path in (part.get_absolute_url(), f"/c/{part.category.path}/",
                 f"/m/{part.manufacturer.slug}/"):
        _status, headers, _body = _get(varnish + prefix + path)

        assert headers.get_all("Set-Cookie") is None, path


def test_stock_change_is_visible_on_the_next_request(varnish, part, settings):
    settings.HTTP_CACHE_PURGE_URLS = [varnish + "/"]
    url = varnish + part.get_absolute_url()
    _get(url)
    assert _get(url)[1]["X-Cache"] == "HIT"

    services.stock_set_on_hand(part_id=part.pk, on_hand=4321)
    _status, headers, body = _get(url)

    assert headers["X-Cache"] == "MISS"
    assert "4,321" in body or "4321" in body


def test_signed_in_page_is_never_served_from_or_stored_in_the_cache(varnish, part):
    client = Client()
    client.force_login(get_user_model().objects.create_user("buyer@example.com", "x"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = varnish + part.get_absolute_url()

    first = _get(url, cookie)
    second = _get(url, cookie)
    anonymous = _get(url)

    assert (first[1]["X-Cache"], second[1]["X-Cache"]) == ("MISS", "MISS")
    assert "private" in second[1]["Cache-Control"]
    assert anonymous[1]["X-Cache"] == "MISS"


def test_cart_post_passes_through_to_the_store(varnish, part):
    data = f"part={part.pk}&quantity=100".encode()
    request = urllib.request.Request(varnish + "/cart/add/", data=data, method="POST")

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)

    # The store itself answered: the page that posts the form again with a token.
    assert refused.value.code == 403
    assert "Press Add to cart again" in refused.value.read().decode()
    assert refused.value.headers["X-Cache"] == "MISS"
