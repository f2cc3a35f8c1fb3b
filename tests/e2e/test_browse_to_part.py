"""An engineer browses from the home page to a part by category and parametric filter."""

from decimal import Decimal

import pytest

from catalog.models import ParameterKind
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    ParameterDefinitionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resistors():
    root = CategoryFactory(name="Resistors", slug="resistors")
    chip = CategoryFactory(name="Chip Resistors", slug="chip-resistors", parent=root)
    resistance = ParameterDefinitionFactory(category=chip, is_key=True)
    ParameterDefinitionFactory(
        category=chip, key="tolerance", name="Tolerance", unit="", kind=ParameterKind.CHOICE
    )
    yageo = ManufacturerFactory(name="YAGEO", slug="yageo")
    for ohms, code in ((1e3, "1K"), (1e4, "10K"), (4.7e4, "47K"), (1e5, "100K")):
        part = PartFactory(mpn=f"RC0603FR-07{code}L", manufacturer=yageo, category=chip)
        StockFactory(part=part, on_hand=5000)
        option = PackagingOptionFactory(part=part)
        PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0120"))
        PriceBreakFactory(packaging=option, min_quantity=100, unit_price=Decimal("0.0061"))
        part.parameter_values.create(
            definition=resistance, si_value=ohms, text=f"{code[:-1]}{code[-1].lower()}Ω"
        )
    return chip


def test_engineer_filters_a_category_by_value_and_opens_the_part(page, resistors):
    page.open("/")
    page.css('a[href="/c/resistors/chip-resistors/"]').click()
    assert page.css("h1").text == "Chip Resistors"
    assert len(page.all(".part-table tbody tr")) == 4

    page.css("#f-resistance-min").send_keys("20k")
    page.css("#f-resistance-max").send_keys("50k")
    page.css(".filters button[type=submit]").click()
    page.wait_for_url("resistance_min=20k")

    rows = page.all(".part-table tbody tr")
    assert [row.find_element("css selector", "a").text for row in rows] == ["RC0603FR-0747KL"]

    rows[0].find_element("css selector", "a").click()
    page.wait_for_url("/part/")
    assert page.path == "/part/yageo/RC0603FR-0747KL/"
    assert page.css("h1").text == "RC0603FR-0747KL"
    assert "5,000 in stock" in page.css(".buy-box").text
    assert "0.0061" in page.css(".prices").text


def test_phone_width_keeps_the_part_page_readable(page, resistors, browser):
    browser.set_window_size(390, 844)
    try:
        page.open("/part/yageo/RC0603FR-0710KL/")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400
        assert page.css(".buy-box").is_displayed()
    finally:
        browser.set_window_size(1280, 900)


def test_quantity_box_prices_the_typed_quantity_at_its_break(page, resistors):
    page.open("/part/yageo/RC0603FR-0710KL/")
    quantity = page.css("#quantity")

    quantity.clear()
    quantity.send_keys("150")

    assert page.css("#quantity-box output").text == "150 × 0.0061 = CNY 0.92 (1.04 incl. VAT)"
