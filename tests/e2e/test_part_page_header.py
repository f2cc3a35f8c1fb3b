"""The part page is the same for every visitor; its header shows this visitor's cart and
account once static/js/header-state.js has asked /header-state/."""

from decimal import Decimal

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from tests.customers.factories import PASSWORD, CustomerFactory
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
    return part


def account_links(page) -> list[str]:
    WebDriverWait(page.driver, 10).until(
        lambda d: page.css(".account-nav").text not in ("", "Account")
    )
    return page.css(".account-nav").text.split()


def test_anonymous_visitor_sees_sign_in_and_register(page, resistor):
    page.open(PART_URL)

    assert account_links(page) == ["Sign", "in", "Register"]


def test_signed_in_customer_sees_their_account_links_on_a_part_page(page, resistor):
    customer = CustomerFactory()
    page.sign_in(customer.email, PASSWORD)

    page.open(PART_URL)

    assert account_links(page) == ["Account", "Messages", "Sign", "out"]


def test_sign_out_from_a_part_pages_header_signs_out(page, resistor):
    customer = CustomerFactory()
    page.sign_in(customer.email, PASSWORD)
    page.open(PART_URL)
    account_links(page)

    page.click_and_wait(".account-nav form button[type=submit]")

    page.wait_for_path("/")
    assert page.css('.account-nav a[href="/account/login/"]').text == "Sign in"


def test_visitor_with_a_cart_sees_its_count_on_a_part_page(page, resistor):
    page.open(PART_URL)
    field = page.css("#quantity")
    field.clear()
    field.send_keys("150")
    page.click_and_wait("#quantity-box button[type=submit]")
    page.wait_for_path("/cart/")

    page.open(PART_URL)

    WebDriverWait(page.driver, 10).until(lambda d: page.all(".cart-count"))
    assert page.css(".cart-link .cart-count").text == "1"
