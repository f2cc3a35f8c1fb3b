"""Every storefront page in English (unprefixed) and Chinese (/zh-hans/), each with its URL."""

import pytest

from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory

pytestmark = pytest.mark.django_db
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}


@pytest.fixture
def part():
    return PartFactory(
        mpn="GRM188R71H104KA93D",
        manufacturer=ManufacturerFactory(name="Murata", slug="murata"),
        category=CategoryFactory(slug="capacitors", name="Capacitors"),
    )


@pytest.mark.parametrize("accept", ["zh-CN", "zh", "zh-Hans", "zh-TW,en;q=0.5"])
def test_chinese_browser_is_sent_to_the_chinese_page(client, part, accept):
    response = client.get("/c/capacitors/?sort=price", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/c/capacitors/?sort=price"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_crawler_without_accept_language_gets_english_without_redirect(client, part):
    response = client.get(part.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert "Accept-Language" in response["Vary"]


def test_english_browser_gets_english(client, part):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert response["Content-Language"] == "en"


def test_saved_english_choice_wins_over_a_chinese_browser(client, part):
    client.cookies["django_language"] = "en"

    response = client.get("/m/murata/", **CHINESE)

    assert response.status_code == 200
    assert response["Content-Language"] == "en"


def test_saved_chinese_choice_wins_over_an_english_browser(client, part):
    client.cookies["django_language"] = "zh-hans"

    response = client.get("/m/murata/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/m/murata/"


def test_the_switch_remembers_the_choice_and_lands_on_the_same_page(client, part):
    page = part.get_absolute_url()

    response = client.get("/language/zh-hans/", {"next": page + "?qty=10"})

    assert response.status_code == 302
    assert response["Location"] == f"/zh-hans{page}?qty=10"
    assert response.cookies["django_language"].value == "zh-hans"
    chinese = client.get(response["Location"])
    assert chinese.status_code == 200
    assert chinese["Content-Language"] == "zh-hans"
    assert client.get(page).status_code == 302  # the saved choice now redirects

    back = client.get("/language/en/", {"next": f"/zh-hans{page}"})
    assert back["Location"] == page
    assert client.get(page).status_code == 200


def test_the_header_offers_the_switch_named_in_each_language(client, part):
    html = client.get(part.get_absolute_url()).content.decode()

    assert "简体中文" in html
    assert "/language/zh-hans/?next=" in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_switch_never_leaves_the_store(client, target):
    response = client.get("/language/zh-hans/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_an_unknown_language_is_404(client):
    assert client.get("/language/xx/").status_code == 404


def test_en_prefix_redirects_permanently_to_the_unprefixed_page(client, part):
    response = client.get("/en/c/capacitors/?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/c/capacitors/?page=2"


@pytest.mark.parametrize("path", ["/api/v1/parts/", "/admin/", "/robots.txt", "/sitemap.xml",
                                  "/healthz", "/llms.txt", "/api/schema/"])
def test_non_storefront_addresses_are_never_redirected(client, part, path):
    response = client.get(path, **CHINESE)

    assert response.status_code != 302 or "/zh-hans" not in response.get("Location", "")
    assert client.get("/zh-hans" + path).status_code == 404


def test_head_links_the_language_versions(client, part):
    page = part.get_absolute_url()
    english = client.get(page).content.decode()
    chinese = client.get("/zh-hans" + page).content.decode()
    site = "http://127.0.0.1:8000"

    for html in (english, chinese):
        assert f'<link rel="alternate" hreflang="en" href="{site}{page}">' in html
        assert f'<link rel="alternate" hreflang="zh-Hans" href="{site}/zh-hans{page}">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="{site}{page}">' in html
    assert f'<link rel="canonical" href="{site}{page}">' in english
    assert f'<link rel="canonical" href="{site}/zh-hans{page}">' in chinese
    assert '<html lang="zh-Hans">' in chinese
    assert '<meta property="og:locale" content="zh_CN">' in chinese
    assert '<meta property="og:locale" content="en_US">' in english
    assert f'"url": "{site}/zh-hans{page}"' in chinese


def test_category_canonical_and_content_language_per_language(client, part):
    response = client.get("/zh-hans/c/capacitors/")

    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/zh-hans/c/capacitors/">' in html
    assert 'href="/zh-hans/part/murata/' in html


def test_part_page_body_and_etag_differ_per_language(client, part):
    page = part.get_absolute_url()
    english = client.get(page)
    chinese = client.get("/zh-hans" + page)

    assert english["ETag"] != chinese["ETag"]
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    # The cached English body is not served in Chinese, and each answers 304 to its own tag.
    assert 'href="/zh-hans/c/capacitors/"' in chinese.content.decode()
    assert 'href="/zh-hans/c/capacitors/"' not in english.content.decode()
    assert client.get(page, HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 304
    assert client.get(page, HTTP_IF_NONE_MATCH=chinese["ETag"]).status_code == 200


def test_listing_etag_differs_per_language(client, part):
    assert client.get("/c/capacitors/")["ETag"] != client.get("/zh-hans/c/capacitors/")["ETag"]


def test_chinese_part_page_redirects_other_spellings_within_chinese(client, part):
    page = part.get_absolute_url()

    response = client.get("/zh-hans/part/murata/grm188r71h104ka93d/")

    assert response.status_code == 301
    assert response["Location"] == "/zh-hans" + page
