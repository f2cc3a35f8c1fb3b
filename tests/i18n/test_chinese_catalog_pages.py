"""Catalog pages served in Chinese: part, category, search, not-found and manufacturer pages.

Each page is fetched under /zh-hans/ and its whole HTML is checked for English interface text
(tests.i18n.english); part data (MPNs, manufacturer names, values, packages) is marked
translate="no" and may stay as it is.
"""

import json
import re
from decimal import Decimal

import pytest

from catalog import services
from catalog.models import (
    AlternateKind,
    Lifecycle,
    PackagingKind,
    ParameterKind,
    PartAlternate,
    Supplier,
    SupplierOffer,
)
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    ParameterDefinitionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)
from tests.i18n.english import english_ui_strings

pytestmark = pytest.mark.django_db


def _part(mpn, maker, category, *, stock, description, values=(), **fields):
    part = PartFactory(
        mpn=mpn, manufacturer=maker, category=category, description=description, **fields
    )
    StockFactory(part=part, on_hand=stock)
    cut_tape = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=cut_tape, min_quantity=10, unit_price=Decimal("0.0120"))
    PriceBreakFactory(packaging=cut_tape, min_quantity=1000, unit_price=Decimal("0.0061"))
    reel = PackagingOptionFactory(part=part, kind=PackagingKind.REEL, reel_quantity=5000)
    PriceBreakFactory(packaging=reel, min_quantity=5000, unit_price=Decimal("0.0032"))
    for definition, si_value, text in values:
        part.parameter_values.create(definition=definition, si_value=si_value, text=text)
    return part


@pytest.fixture
def catalog(db):
    passives = CategoryFactory(name="Resistors", slug="resistors", name_zh="电阻")
    chip = CategoryFactory(
        name="Chip Resistors", slug="chip-resistors", parent=passives, name_zh="贴片电阻"
    )
    resistance = ParameterDefinitionFactory(
        category=chip, key="resistance", name="Resistance", name_zh="阻值", unit="Ω",
        is_key=True,
    )
    tolerance = ParameterDefinitionFactory(
        category=chip, key="tolerance", name="Tolerance", name_zh="精度", unit="%",
        kind=ParameterKind.CHOICE,
    )
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    uniroyal = ManufacturerFactory(name="UNI-ROYAL", slug="uni-royal")
    resistor = _part(
        "RC0603FR-0710KL", yageo, chip, stock=42000, description="10kΩ ±1% 0603 thick film",
        values=[(resistance, 10000.0, "10kΩ"), (tolerance, 0.01, "±1%")],
        msl="1", packaging="Tape & Reel",
    )
    alternate = _part(
        "0603WAF1002T5E", uniroyal, chip, stock=0, description="10kΩ ±1% 0603",
        values=[(resistance, 10000.0, "10kΩ"), (tolerance, 0.01, "±1%")],
    )
    old = _part(
        "RC0603FR-074K7L", yageo, chip, stock=300, description="4.7kΩ ±1% 0603",
        values=[(resistance, 4700.0, "4.7kΩ"), (tolerance, 0.01, "±1%")],
        lifecycle=Lifecycle.EOL,
    )
    supplier = Supplier.objects.create(name="Shenzhen Depot", code="sz")
    SupplierOffer.objects.create(part=resistor, supplier=supplier, quantity=80000, lead_days=3)
    SupplierOffer.objects.create(
        part=alternate, supplier=supplier, quantity=2000, lead_days=5, returnable=False
    )
    PartAlternate.objects.create(part=resistor, alternate=alternate, kind=AlternateKind.DROP_IN)
    PartAlternate.objects.create(part=old, alternate=resistor, kind=AlternateKind.SIMILAR)
    services.part_listing_refresh(part_ids=[resistor.pk, alternate.pk, old.pk])
    return {"resistor": resistor, "old": old, "chip": chip}


def chinese(client, path):
    response = client.get("/zh-hans" + path)
    assert response.status_code in (200, 404), response.status_code
    return response.content.decode()


PART_DATA = ("RC0603FR-0710KL", "RC0603FR-074K7L", "0603WAF1002T5E", "YAGEO", "UNI-ROYAL")


def english_left(html, typed=""):
    """English interface text on the page. A <title> cannot mark the part data in it (MPN,
    manufacturer) or what the visitor typed with translate="no", so those are taken out of it."""

    def without_data(match):
        title = match.group(0)
        for text in (typed, *PART_DATA):
            title = title.replace(text, "") if text else title
        return title

    return english_ui_strings(re.sub(r"<title>.*?</title>", without_data, html, flags=re.S))


def english(client, path):
    return client.get(path).content.decode()


def test_chinese_part_page_has_no_english_interface_text(client, catalog):
    html = chinese(client, catalog["resistor"].get_absolute_url())

    assert english_left(html) == []


def test_chinese_part_page_names_stock_prices_and_specs_in_chinese(client, catalog):
    html = chinese(client, catalog["resistor"].get_absolute_url())

    assert "库存" in html and "阶梯价" in html and "规格参数" in html and "阻值" in html
    assert "加入购物车" in html and "询价" in html and "替代料" in html


def test_chinese_discontinued_part_page_has_no_english_interface_text(client, catalog):
    html = chinese(client, catalog["old"].get_absolute_url())

    assert english_left(html) == []
    assert "停产" in html


def test_chinese_category_page_has_no_english_interface_text(client, catalog):
    html = chinese(client, "/c/resistors/chip-resistors/")

    assert english_left(html) == []
    assert "贴片电阻" in html and "筛选" in html and "制造商" in html


def test_chinese_filtered_category_page_has_no_english_interface_text(client, catalog):
    html = chinese(
        client, "/c/resistors/chip-resistors/?stock=1&rohs=1&resistance_min=1k&sort=-stock"
    )

    assert english_left(html) == []
    assert "清除全部" in html


def test_chinese_category_page_reports_a_bad_filter_value_in_chinese(client, catalog):
    html = chinese(client, "/c/resistors/chip-resistors/?resistance_min=abc")

    assert english_left(html) == []
    assert "不是以 Ω 为单位的数值" in html


def test_chinese_category_page_without_results_has_no_english_interface_text(client, catalog):
    html = chinese(client, "/c/resistors/chip-resistors/?resistance_min=1M")

    assert english_left(html) == []
    assert "没有符合" in html


def test_chinese_search_results_have_no_english_interface_text(client, catalog):
    html = chinese(client, "/search/?q=10k+0603+yageo+resistor")

    assert english_left(html, typed="10k 0603 yageo resistor") == []
    assert "搜索结果" in html


def test_chinese_search_without_results_has_no_english_interface_text(client, catalog):
    html = chinese(client, "/search/?q=zzqqxx")

    assert english_left(html, typed="zzqqxx") == []
    assert "没有找到" in html


def test_chinese_search_suggests_close_part_numbers_in_chinese(client, catalog):
    html = chinese(client, "/search/?q=RC0603FR-0710KX")

    assert english_left(html, typed="RC0603FR-0710KX") == []
    assert "您是不是要找" in html and "RC0603FR-0710KL" in html


def test_chinese_empty_search_page_has_no_english_interface_text(client, catalog):
    html = chinese(client, "/search/")

    assert english_left(html) == []


def test_chinese_part_not_found_page_has_no_english_interface_text(client, catalog):
    html = chinese(client, "/part/yageo/RC0603FR-07/")

    assert english_left(html, typed="RC0603FR-07") == []
    assert "未找到" in html


def test_chinese_manufacturer_list_has_no_english_interface_text(client, catalog):
    html = chinese(client, "/m/")

    assert english_left(html) == []
    assert "制造商" in html


def test_chinese_manufacturer_page_has_no_english_interface_text(client, catalog):
    html = chinese(client, "/m/yageo/")

    assert english_left(html) == []
    assert "贴片电阻" in html and "元件" in html


def test_english_catalog_pages_keep_their_english_wording(client, catalog):
    part = english(client, catalog["resistor"].get_absolute_url())
    category = english(client, "/c/resistors/chip-resistors/")
    search = english(client, "/search/?q=RC0603FR-0710KX")

    assert "Add to cart" in part and "Specifications" in part and "in stock" in part
    assert "Chip Resistors" in category and "Apply filters" in category
    assert "Did you mean" in search


def test_chinese_part_page_gives_the_quantity_box_chinese_sentences(client, catalog):
    html = chinese(client, catalog["resistor"].get_absolute_url())
    found = re.search(r'<script id="box-words" type="application/json">(.*?)</script>', html)
    words = " ".join(json.loads(found.group(1)).values())

    assert "含税" in words and "整盘" in words and "询价" in words


def test_chinese_part_page_describes_the_part_in_chinese_sentences(client, catalog):
    html = chinese(client, catalog["resistor"].get_absolute_url())
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)

    assert "现货 42,000，当天发货。" in description and ". " not in description


def test_chinese_page_of_an_unpriced_part_not_for_new_designs_is_chinese(client, catalog):
    part = PartFactory(
        mpn="RC0603FR-0733RL", manufacturer=catalog["resistor"].manufacturer,
        category=catalog["chip"], lifecycle=Lifecycle.NRND, datasheet_url="https://example.com/d.pdf",
    )
    StockFactory(part=part, on_hand=0)

    html = chinese(client, part.get_absolute_url())

    assert english_left(html, typed="RC0603FR-0733RL") == []
    assert "不推荐用于新设计" in html and "该元件暂无标价" in html and "数据手册" in html


def test_english_part_page_keeps_the_order_multiple_wording(client, catalog):
    part = catalog["resistor"]
    part.moq = part.order_multiple = 10
    part.save()

    html = english(client, part.get_absolute_url())

    assert "MOQ 10 · multiples of 10" in html
