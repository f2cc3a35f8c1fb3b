"""The help pages in the footer: contact, shipping, returns, terms, privacy, about."""

import importlib
import re
from decimal import Decimal

import pytest
from django.test import override_settings

from orders.models import ShippingMethod, ShippingRate
from shop.models import InfoPage
from tests.i18n.english import english_ui_strings

pytestmark = pytest.mark.django_db

SLUGS = ["about", "contact", "shipping", "returns", "terms", "privacy"]


@pytest.fixture(autouse=True)
def help_pages(db):
    """The pages the data migration writes: on PostgreSQL a transactional test that ran
    before in this process has emptied the tables, so they are written again."""
    from django.apps import apps

    migration = importlib.import_module("shop.migrations.0003_help_pages_content")
    migration.create_pages(apps, None)


def zh_get(client, path, **extra):
    return client.get(f"/zh-hans{path}", HTTP_ACCEPT_LANGUAGE="zh-hans", **extra)


def main_of(html: str) -> str:
    return re.search(r"<main.*</main>", html, re.S).group(0)


@pytest.fixture
def express(db):
    method = ShippingMethod.objects.create(
        name="Express, next day",
        carrier="SF Express",
        transit_days=1,
        free_shipping_threshold=Decimal("300.00"),
        fee_per_thousand_pieces=Decimal("2.00"),
    )
    ShippingRate.objects.create(method=method, min_amount=Decimal("0"), fee=Decimal("12.00"))
    ShippingRate.objects.create(method=method, min_amount=Decimal("200"), fee=Decimal("8.00"))
    return method


@pytest.mark.parametrize("slug", SLUGS)
def test_each_help_page_exists_from_the_migration_in_english(client, slug):
    response = client.get(f"/help/{slug}/")

    assert response.status_code == 200
    page = InfoPage.objects.get(slug=slug)
    assert f"<h1>{page.title}</h1>" in response.content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_each_help_page_reads_in_chinese_without_english_interface_text(client, slug):
    response = zh_get(client, f"/help/{slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{InfoPage.objects.get(slug=slug).title_zh}</h1>" in html
    assert english_ui_strings(html) == []


def test_the_chinese_page_has_its_own_canonical_and_alternates(client):
    html = zh_get(client, "/help/terms/").content.decode()

    assert re.search(r'<link rel="canonical" href="[^"]*/zh-hans/help/terms/"', html)
    assert re.search(r'hreflang="en" href="[^"]*/help/terms/"', html)


def test_the_returns_page_quotes_the_stores_return_window(client, settings):
    settings.RETURNS_WINDOW_DAYS = 45

    assert "45 days of delivery" in client.get("/help/returns/").content.decode()


def test_the_shipping_page_lists_the_fees_checkout_charges(client, express):
    html = main_of(client.get("/help/shipping/").content.decode())

    assert "SF Express" in html
    assert "12.00" in html and "from 200.00" in html and "300.00" in html


def test_the_shipping_page_in_chinese_lists_the_fees_in_chinese(client, express):
    html = main_of(zh_get(client, "/help/shipping/").content.decode())

    assert "免运费" in html or "起免运费" in html
    assert english_ui_strings(html) == []


def test_an_unpublished_page_is_not_found(client):
    InfoPage.objects.filter(slug="about").update(is_published=False)

    assert client.get("/help/about/").status_code == 404


def test_an_unknown_page_is_not_found(client):
    assert client.get("/help/no-such-page/").status_code == 404


def test_an_unchanged_page_answers_304(client):
    first = client.get("/help/contact/")

    again = client.get("/help/contact/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_an_edit_changes_the_page_and_its_etag(client):
    etag = client.get("/help/contact/")["ETag"]
    page = InfoPage.objects.get(slug="contact")
    page.body = "Write to **orders@partline.example**."
    page.save()

    response = client.get("/help/contact/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    link = '<strong><a translate="no" href="mailto:orders@partline.example">'
    assert link in response.content.decode()


def test_html_typed_into_a_page_is_shown_as_text(client):
    InfoPage.objects.filter(slug="about").update(
        body='<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>'
    )

    html = main_of(client.get("/help/about/").content.decode())

    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html


def test_the_footer_links_every_help_page_in_english(client):
    html = client.get("/help/about/").content.decode()

    for slug in SLUGS:
        assert f'href="/help/{slug}/"' in html


def test_the_footer_links_every_help_page_in_chinese(client):
    html = zh_get(client, "/help/about/").content.decode()

    for slug in SLUGS:
        assert f'href="/zh-hans/help/{slug}/"' in html
    assert "配送与交期" in html


def test_the_sitemap_index_lists_the_help_section(client):
    html = client.get("/sitemap.xml").content.decode()

    assert "/sitemap-help.xml</loc>" in html


def test_the_help_sitemap_lists_both_languages_with_alternates(client):
    xml = client.get("/sitemap-help.xml").content.decode()

    assert xml.count("<url>") == 2 * len(SLUGS)
    assert "/zh-hans/help/shipping/</loc>" in xml
    assert 'hreflang="zh-Hans"' in xml


def test_an_unpublished_page_leaves_the_sitemap(client):
    InfoPage.objects.filter(slug="privacy").update(is_published=False)

    xml = client.get("/sitemap-help.xml").content.decode()

    assert "/help/privacy/" not in xml


def test_a_help_page_costs_one_query(client, django_assert_max_num_queries):
    client.get("/help/terms/")  # warm what every page shares

    with django_assert_max_num_queries(1):
        client.get("/help/terms/")


def test_the_shipping_page_costs_three_queries(client, express, django_assert_max_num_queries):
    client.get("/help/shipping/")

    with django_assert_max_num_queries(3):
        client.get("/help/shipping/")


@override_settings(ORDERS_SHIP_CUTOFF_HOUR=15)
def test_the_shipping_page_says_the_stores_dispatch_cut_off(client):
    assert "before 15:00 China Standard Time" in client.get("/help/shipping/").content.decode()


def test_the_admin_lists_and_edits_help_pages(admin_client):
    page = InfoPage.objects.get(slug="terms")

    assert admin_client.get("/admin/shop/infopage/").status_code == 200
    assert admin_client.get(f"/admin/shop/infopage/{page.pk}/change/").status_code == 200


def test_signing_in_changes_the_etag_so_the_header_is_fresh(client, django_user_model):
    etag = client.get("/help/contact/")["ETag"]
    client.force_login(django_user_model.objects.create_user(email="b@example.com", password="x"))

    assert client.get("/help/contact/", HTTP_IF_NONE_MATCH=etag).status_code == 200
