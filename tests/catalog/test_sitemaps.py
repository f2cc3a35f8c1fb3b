"""Sitemaps: every part exactly once, real lastmod, sections within limits, 304s."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from catalog import sitemaps
from catalog.models import Part
from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get(client, url, **headers):
    return client.get(url, secure=True, headers=headers)


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def locs(xml: bytes, tag: str) -> list[str]:
    root = ElementTree.fromstring(xml)
    return [node.text for node in root.findall(f"sm:{tag}/sm:loc", NS)]


def crawl(client) -> list[str]:
    """Follow the index into every section, as a crawler would; return every page URL."""
    urls = []
    for section in locs(body(get(client, "/sitemap.xml")), "sitemap"):
        path = section.replace("http://127.0.0.1:8000", "")
        response = get(client, path)
        assert response.status_code == 200, path
        urls += locs(body(response), "url")
    return urls


@pytest.fixture
def small_sections(monkeypatch):
    monkeypatch.setattr(sitemaps, "PARTS_PER_SECTION", 7)


def test_crawl_of_the_sitemap_finds_every_part_once_per_language(client, small_sections):
    category = CategoryFactory(slug="diodes")
    maker = ManufacturerFactory(name="Nexperia", slug="nexperia")
    parts = [
        PartFactory(category=category, manufacturer=maker, mpn=f"BAS{n},215") for n in range(30)
    ]
    Part.objects.filter(pk=parts[3].pk).delete()

    urls = crawl(client)

    part_urls = [u for u in urls if "/part/" in u]
    expected = {
        f"http://127.0.0.1:8000{prefix}{p.get_absolute_url()}"
        for p in parts
        if p.pk != parts[3].pk
        for prefix in ("", "/zh-hans")
    }
    assert sorted(part_urls) == sorted(expected)
    assert len(part_urls) == len(set(part_urls))
    assert "http://127.0.0.1:8000/c/diodes/" in urls
    assert "http://127.0.0.1:8000/zh-hans/c/diodes/" in urls
    assert "http://127.0.0.1:8000/m/nexperia/" in urls
    assert "http://127.0.0.1:8000/zh-hans/m/nexperia/" in urls


def test_no_part_section_exceeds_its_limit(client, small_sections):
    category = CategoryFactory()
    for n in range(20):
        PartFactory(category=category, mpn=f"MMBT{n}LT1G")

    index = locs(body(get(client, "/sitemap.xml")), "sitemap")
    part_sections = [u for u in index if "sitemap-parts-" in u]

    assert len(part_sections) >= 3
    for url in part_sections:
        assert len(locs(body(get(client, url.replace("http://127.0.0.1:8000", ""))), "url")) <= 7


def test_part_lastmod_is_the_last_visible_change(client):
    part = PartFactory(mpn="SS34")
    Part.objects.filter(pk=part.pk).update(page_changed_at=timezone.now() - timedelta(days=40))
    part.refresh_from_db()

    xml = body(get(client, "/sitemap-parts-0.xml")).decode()

    assert f"<lastmod>{part.page_changed_at.date().isoformat()}</lastmod>" in xml


def test_index_lists_sections_with_lastmod(client):
    PartFactory(mpn="SS34")

    xml = body(get(client, "/sitemap.xml")).decode()

    assert xml.count("<lastmod>") == xml.count("<sitemap>") == 5  # with the help pages
    assert "/sitemap-help.xml" in xml
    assert "/sitemap-parts-0.xml" in xml
    assert "/sitemap-parts-0-zh-hans.xml" in xml


def test_part_section_answers_304_to_its_etag(client):
    PartFactory(mpn="SS34")
    first = get(client, "/sitemap-parts-0.xml")
    body(first)

    second = get(client, "/sitemap-parts-0.xml", if_none_match=first["ETag"])

    assert second.status_code == 304


def test_index_answers_304_to_if_modified_since(client):
    PartFactory(mpn="SS34")
    first = get(client, "/sitemap.xml")

    second = get(client, "/sitemap.xml", if_modified_since=first["Last-Modified"])

    assert second.status_code == 304


def test_empty_part_section_is_404(client):
    assert get(client, "/sitemap-parts-99.xml").status_code == 404


def test_part_section_is_streamed_from_a_range_scan(client, django_assert_max_num_queries):
    category = CategoryFactory()
    for n in range(25):
        PartFactory(category=category, mpn=f"1N{4000 + n}W")

    with django_assert_max_num_queries(2):
        response = get(client, "/sitemap-parts-0.xml")
        xml = body(response)

    assert response.streaming
    assert len(locs(xml, "url")) == 25


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    text = get(client, "/robots.txt").content.decode()

    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    for path in ("/search/", "/cart/", "/checkout/", "/account/"):
        assert re.search(rf"^Disallow: {path}$", text, re.M), path
