"""A part page's head and main put into the frame kept per language (catalog/part_frame.py)
are the same bytes as the page rendered whole."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings

from catalog import part_frame
from catalog.models import AlternateKind, Lifecycle, PartAlternate
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    ParameterDefinitionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts():
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors",
                           parent=CategoryFactory(name="Resistors", slug="resistors"))
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    priced = PartFactory(mpn="RC0603FR-0710KL", manufacturer=yageo, category=chip,
                         package="0603", description="10 kΩ ±1% <b>thick</b> & film")
    StockFactory(part=priced, on_hand=42000, reserved=2000)
    option = PackagingOptionFactory(part=priced)
    for quantity, price in ((1, "0.0120"), (100, "0.0061"), (1000, "0.0042")):
        PriceBreakFactory(packaging=option, min_quantity=quantity, unit_price=Decimal(price))
    definition = ParameterDefinitionFactory(category=chip)
    priced.parameter_values.create(definition=definition, si_value=10000.0, text="10kΩ")
    # No price, no stock, discontinued, an MPN with a slash and a comma in it.
    old = PartFactory(mpn="LM1117/3.3,215", manufacturer=ManufacturerFactory(slug="ti-old"),
                      category=chip, lifecycle=Lifecycle.OBSOLETE)
    PartAlternate.objects.create(part=old, alternate=priced, kind=AlternateKind.DROP_IN)
    return [priced, old]


def page(client, url: str) -> bytes:
    cache.clear()  # each read a first render, not the page cache's copy
    response = client.get(url, secure=True)
    assert response.status_code == 200
    return response.content


def whole_page(client, url: str, monkeypatch) -> bytes:
    """The page rendered whole: the frame stands in for no address."""
    with monkeypatch.context() as patched:
        patched.setattr(part_frame, "_PLAIN", re.compile(r"(?!)"))
        return page(client, url)


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_a_page_put_into_the_frame_is_the_page_rendered_whole(client, parts, prefix, monkeypatch):
    for part in parts:
        url = prefix + part.get_absolute_url()
        assert page(client, url) == whole_page(client, url, monkeypatch)


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_each_page_shows_its_own_address_and_none_of_the_frames(client, parts, prefix):
    for part in parts:
        url = prefix + part.get_absolute_url()
        html = page(client, url).decode()
        address = url.split("/part/")[1]
        assert "zz-partline-frame" not in html and "\x00" not in html
        assert html.count(f"/part/{address}") >= 4  # canonical, og:url, hreflang, next=
        assert f"%2Fpart%2F{address.replace('/', '%2F')}" in html  # the language switch


def test_a_page_asked_with_a_query_string_is_rendered_whole(client, parts, monkeypatch):
    filled = []
    monkeypatch.setattr(part_frame, "_fill", lambda *a, **k: filled.append(1))
    cache.clear()
    response = client.get(parts[0].get_absolute_url() + "?utm_source=x", secure=True)
    assert response.status_code == 200 and not filled
    assert "utm_source%3Dx" in response.content.decode()


def test_a_changed_setting_shows_in_the_next_page(client, parts):
    url = parts[0].get_absolute_url()
    page(client, url)
    with override_settings(SHOP_NAME="Partline Test Store"):
        assert '<a class="logo" href="/">Partline Test Store</a>' in page(client, url).decode()
    assert "Partline Test Store" not in page(client, url).decode()
