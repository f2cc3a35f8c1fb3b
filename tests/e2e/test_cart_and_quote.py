"""A buyer puts a part in the cart from its page, and asks a quote for more than we stock."""

from decimal import Decimal

import pytest

from orders.models import CartLine, Inquiry
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    StockFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PART_URL = "/part/yageo/RC0603FR-0710KL/"


@pytest.fixture
def resistor():
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=ManufacturerFactory(name="YAGEO", slug="yageo"),
        category=CategoryFactory(name="Chip Resistors", slug="chip-resistors"),
    )
    StockFactory(part=part, on_hand=5000)
    option = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0120"))
    PriceBreakFactory(packaging=option, min_quantity=100, unit_price=Decimal("0.0061"))
    return part


def type_quantity(page, quantity: str):
    field = page.css("#quantity")
    field.clear()
    field.send_keys(quantity)


def test_buyer_adds_the_typed_quantity_and_sees_it_priced_in_the_cart(page, resistor):
    page.open(PART_URL)
    type_quantity(page, "150")
    assert page.css("#quantity-box output").text == "150 × 0.0061 = CNY 0.92 (1.04 incl. VAT)"

    page.click_and_wait("#quantity-box button[type=submit]")

    page.wait_for_path("/cart/")
    assert "RC0603FR-0710KL is in your cart: 150 pieces." in page.text
    row = page.css(".cart-line")
    assert row.find_element("css selector", "a.mpn").text == "RC0603FR-0710KL"
    assert row.find_element("css selector", "input[name=quantity]").get_attribute("value") == "150"
    assert row.find_element("css selector", ".unit-price").text.startswith("0.0061")
    assert "0.92" in row.find_element("css selector", ".line-total").text
    assert "1.04 incl. VAT" in row.find_element("css selector", ".line-total").text
    assert "In stock · ships today" in row.text
    assert page.css(".totals .total").text == "CNY 1.04"
    assert page.css(".cart-count").text == "1"


@pytest.fixture
def reel(resistor):
    option = PackagingOptionFactory(part=resistor, kind="reel", reel_quantity=5000)
    PriceBreakFactory(packaging=option, min_quantity=5000, unit_price=Decimal("0.0021"))
    PriceBreakFactory(
        packaging=resistor.packaging_options.get(kind="cut_tape"),
        min_quantity=1000,
        unit_price=Decimal("0.0042"),
    )
    return option


def test_the_quantity_box_reads_1k_and_1_000_like_the_cart(page, resistor):
    page.open(PART_URL)

    type_quantity(page, "1k")
    assert page.css("#quantity-box output").text == "1,000 × 0.0061 = CNY 6.10 (6.89 incl. VAT)"
    type_quantity(page, "1,000")
    assert page.css("#quantity-box output").text.startswith("1,000 × 0.0061")
    type_quantity(page, "1e5")
    assert page.css("#quantity-box output").text == ""
    assert page.css(".quantity-note").text == (
        "Enter the quantity as a whole number of pieces, e.g. 100, 1,000 or 2.5k."
    )


def test_the_quantity_box_first_says_what_the_server_wrote(page, resistor, client):
    html = client.get(PART_URL, secure=True).content.decode()

    page.open(PART_URL)

    assert f">{page.css('#quantity-box output').text}</output>" in html


def test_typed_1k_goes_in_the_cart_as_1_000(page, resistor):
    page.open(PART_URL)
    type_quantity(page, "2.5k")
    page.click_and_wait("#quantity-box button[type=submit]")

    page.wait_for_path("/cart/")
    assert CartLine.objects.get().quantity == 2500


def test_the_quantity_box_offers_a_full_reel_when_it_costs_less(page, resistor, reel):
    page.open(PART_URL)
    offer = page.css("#quantity-box .reel-offer")
    assert not offer.is_displayed()

    type_quantity(page, "5,150")

    assert offer.text == "1 full reel + 150 cut tape: save CNY 10.21"
    type_quantity(page, "4,990")
    assert not offer.is_displayed()


def test_buyer_splits_a_line_into_a_reel_and_cut_tape_in_the_cart(page, resistor, reel):
    page.open(PART_URL)
    type_quantity(page, "5150")
    page.click_and_wait("#quantity-box button[type=submit]")
    page.wait_for_path("/cart/")
    assert "1 full reel + 150 cut tape: save CNY 10.21" in page.css(".reel-split").text

    page.click_and_wait(".reel-split button")

    assert "Split into 1 full reel + 150 cut tape: CNY 10.21 less in total." in page.text
    assert set(CartLine.objects.values_list("packaging", "quantity")) == {
        (None, 150),
        (reel.pk, 5000),
    }
    assert page.css(".totals .subtotal").text == "CNY 11.42"


def test_choosing_a_packaging_in_the_cart_applies_it_at_once(page, resistor, reel):
    page.open(PART_URL)
    type_quantity(page, "10000")
    page.click_and_wait("#quantity-box button[type=submit]")
    page.wait_for_path("/cart/")
    assert not page.css(".packaging-form button").is_displayed()

    old = page.css("html")
    page.choose(".packaging-form select", "Full reel of 5000 · 0.0021 each")
    page.wait_for_new_page(old)
    assert "RC0603FR-0710KL: 10,000 pieces on Full reel of 5000." in page.text
    assert CartLine.objects.get().packaging == reel


def test_header_counts_the_cart_also_on_a_part_page_the_browser_had_cached(page, resistor):
    page.open(PART_URL)
    assert page.all(".cart-count") == []
    type_quantity(page, "150")
    page.click_and_wait("#quantity-box button[type=submit]")
    page.wait_for_path("/cart/")

    page.click_and_wait(".cart-line a.mpn")  # answered 304: the page as cached before adding

    page.wait_for_path(PART_URL)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(page.driver, 10).until(lambda d: page.all(".cart-count"))
    assert page.css(".cart-count").text == "1"


@pytest.mark.parametrize("width", [360, 414])
def test_phone_width_stacks_the_cart_lines_without_sideways_scrolling(
    page, resistor, reel, browser, width
):
    page.open(PART_URL)
    type_quantity(page, "5150")
    page.click_and_wait("#quantity-box button[type=submit]")
    browser.set_window_size(width, 844)
    try:
        page.open("/cart/")
        viewport = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= viewport
        line = page.css(".cart-line")
        assert line.rect["width"] <= viewport  # a card, not a table row wider than the phone
        assert page.css(".reel-split button").is_displayed()
        assert page.css(".packaging-form select").rect["width"] <= line.rect["width"]
        assert page.css(".totals").is_displayed()
    finally:
        browser.set_window_size(1280, 900)


def test_a_quantity_off_the_order_multiple_goes_in_as_shown_rounded_up(page, resistor):
    resistor.order_multiple = 100
    resistor.save()

    page.open(PART_URL)
    type_quantity(page, "150")
    assert page.css("#quantity-box output").text.startswith("200 × 0.0061")
    page.click_and_wait("#quantity-box button[type=submit]")

    page.wait_for_path("/cart/")
    assert CartLine.objects.get().quantity == 200


def test_buyer_asks_a_quote_for_more_than_we_stock(page, resistor):
    page.open(PART_URL)
    quote = page.css("#quantity-box .quote-link")
    assert "prominent" not in quote.get_attribute("class")

    type_quantity(page, "250000")

    assert "prominent" in quote.get_attribute("class")
    assert "5,000 available now" in page.css(".quote-hint").text
    page.click_and_wait(quote)
    page.wait_for_path("/quote/")
    assert page.css("#id_line-0-mpn").get_attribute("value") == "RC0603FR-0710KL"
    assert page.css("#id_line-0-quantity").get_attribute("value") == "250000"

    page.fill("#id_contact_name", "Li Wei")
    page.fill("#id_email", "li.wei@acme.example")
    page.fill("#id_line-0-target_unit_price", "0.004")
    page.click_and_wait(".quote-form button.button")

    page.wait_for_path("/quote/sent/")
    inquiry = Inquiry.objects.get()
    assert inquiry.reference in page.css(".reference").text
    line = inquiry.lines.get()
    assert (line.part_id, line.quantity, line.target_unit_price) == (
        resistor.pk,
        250000,
        Decimal("0.004"),
    )
