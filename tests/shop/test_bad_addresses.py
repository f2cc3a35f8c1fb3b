"""Addresses a user (or a scanner) can type must never give a server error."""

import pytest

from tests.factories import PartFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/c/%00/", "/part/%00/%00/", "/p/%00/", "/m/%00/", "/search/?q=%00",
    "/api/v1/parts/?q=%00", "/c/cat/?mfr=%00",
    "/sitemap-parts-99999999999999999999.xml", "/c/" + "a/" * 300,
    "/part/x/" + "y" * 5000 + "/", "/search/?q=10k&page=-1&sort=zz&cat=zz",
    "/c/cat/?page=999999999999999999999&resistance_min=1e999",
    "/api/v1/parts/?page_size=-5&in_stock=maybe",
]


@pytest.mark.parametrize("url", URLS)
def test_odd_addresses_get_a_client_error_or_a_page_never_a_500(client, url):
    PartFactory(category__slug="cat")

    response = client.get(url, secure=True)

    assert response.status_code < 500


def test_a_nul_byte_in_the_address_is_a_bad_request(client):
    response = client.get("/part/%00/x/", secure=True)

    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_nul_byte_in_a_search_is_dropped_and_the_page_answers(client):
    PartFactory(mpn="NE555P")

    response = client.get("/search/", {"q": "NE5\x0055"}, secure=True)

    assert response.status_code in (200, 302)
