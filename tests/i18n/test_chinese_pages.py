"""Pages served in Chinese show no English interface text (part data is marked translate=no)."""

import pytest

from tests.i18n.english import english_ui_strings

pytestmark = pytest.mark.django_db


def test_chinese_404_page_has_no_english_interface_text(client):
    response = client.get("/zh-hans/no-such-page/")

    assert response.status_code == 404
    assert english_ui_strings(response.content.decode()) == []


def test_chinese_header_and_footer_are_chinese(client):
    html = client.get("/zh-hans/no-such-page/").content.decode()

    assert "搜索元器件" in html and "购物车" in html and "返回首页" in html


def test_chinese_numbers_are_grouped_by_thousands():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import formats, translation

    with translation.override("zh-hans"):
        assert intcomma(828000) == "828,000"
        assert formats.date_format(__import__("datetime").date(2026, 12, 2)) == "2026年12月2日"
