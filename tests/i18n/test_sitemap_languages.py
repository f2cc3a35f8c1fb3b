"""Sitemaps list both language versions of every page, linked as hreflang alternates."""

import pytest

from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def part():
    return PartFactory(
        mpn="BAS16,215",
        manufacturer=ManufacturerFactory(slug="nexperia"),
        category=CategoryFactory(slug="diodes"),
    )


def test_part_sections_hold_each_language_with_alternates(client, part):
    page = part.get_absolute_url()
    english = body(client.get("/sitemap-parts-0.xml"))
    chinese = body(client.get("/sitemap-parts-0-zh-hans.xml"))

    assert f"<loc>{SITE}{page}</loc>" in english
    assert f"<loc>{SITE}/zh-hans{page}</loc>" in chinese
    for xml in (english, chinese):
        assert f'<xhtml:link rel="alternate" hreflang="en" href="{SITE}{page}"/>' in xml
        assert (
            f'<xhtml:link rel="alternate" hreflang="zh-Hans" href="{SITE}/zh-hans{page}"/>' in xml
        )
        assert f'<xhtml:link rel="alternate" hreflang="x-default" href="{SITE}{page}"/>' in xml


def test_index_names_both_part_sections(client, part):
    xml = body(client.get("/sitemap.xml"))

    assert f"{SITE}/sitemap-parts-0.xml" in xml
    assert f"{SITE}/sitemap-parts-0-zh-hans.xml" in xml


def test_category_section_holds_both_languages_with_alternates(client, part):
    xml = body(client.get("/sitemap-categories.xml"))

    assert f"<loc>{SITE}/c/diodes/</loc>" in xml
    assert f"<loc>{SITE}/zh-hans/c/diodes/</loc>" in xml
    assert f'hreflang="zh-Hans" href="{SITE}/zh-hans/c/diodes/"' in xml
    assert f'hreflang="x-default" href="{SITE}/c/diodes/"' in xml


def test_unknown_language_part_section_is_404(client, part):
    assert client.get("/sitemap-parts-0-xx.xml").status_code == 404
    assert client.get("/sitemap-parts-0-en.xml").status_code == 404
