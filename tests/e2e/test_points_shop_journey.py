"""A customer with points shops in the points shop in Chromium: a coupon and a gift, the
points debited and listed in the history, and the gift a free line on the next order."""

from decimal import Decimal

import pytest

from customers.models import CustomerProfile
from orders.cart.services import CartOwner, cart_add_line
from orders.models import Order
from tests.customers.factories import PASSWORD, AddressFactory, CustomerFactory
from tests.e2e.test_checkout_journeys import assert_no_sideways_scroll, place_order_button
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.promotions.gift_factories import (
    CouponItemFactory,
    GiftFactory,
    GiftItemFactory,
    give_points,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fpga():
    part = PartFactory(
        mpn="XC7A35T-1CSG324C",
        manufacturer=ManufacturerFactory(name="AMD", slug="amd"),
        category=CategoryFactory(name="FPGAs", slug="fpgas"),
        moq=1,
        order_multiple=1,
    )
    StockFactory(part=part, on_hand=40, reserved=0)
    option = PackagingOptionFactory(part=part, kind="tray")
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("238.0000"))
    return part


@pytest.fixture
def shopper():
    ShippingMethodFactory()
    customer = CustomerFactory(email="points@acme-robotics.example")
    AddressFactory(user=customer, is_default=True, recipient="Li Wei")
    give_points(customer, 2000, reference="SO-EARLIER")
    return customer


def _redeem(page, item):
    page.click_and_wait(f"#shop-item-{item.pk} form button[type=submit]")
    page.wait_for_path("/account/points/shop/")


def test_customer_redeems_a_coupon_and_a_gift_and_gets_the_gift_on_the_next_order(
    page, browser, shopper, fpga
):
    coupon_item = CouponItemFactory(name="20 CNY off your next order", points_cost=500)
    gift_item = GiftItemFactory(
        name="Tweezers set", points_cost=800, gift=GiftFactory(name="Tweezers set", stock=3)
    )

    page.sign_in(shopper.email, PASSWORD, next_path="/account/points/shop/")
    assert page.css("[data-testid=points-balance]").text == "2000 points"

    _redeem(page, coupon_item)
    assert "You redeemed 20 CNY off your next order: coupon" in page.text
    assert page.css("[data-testid=points-balance]").text == "1500 points"

    _redeem(page, gift_item)  # "with my next order" is the default choice
    assert "You redeemed Tweezers set: it ships free with your next order." in page.text
    assert page.css("[data-testid=points-balance]").text == "700 points"
    assert "Tweezers set — ships free with your next order" in page.text
    assert CustomerProfile.objects.get(user=shopper).points == 700

    browser.set_window_size(390, 844)
    try:
        assert_no_sideways_scroll(browser, "the points shop")
    finally:
        browser.set_window_size(1280, 900)

    # The history lists both redemptions.
    page.click_and_wait('.account-menu a[href="/account/points/"]')
    rows = [row.text for row in page.all("table.ledger tbody tr")]
    assert [r for r in rows if "Redeemed" in r and "-800" in r and "700" in r], rows
    assert [r for r in rows if "Redeemed" in r and "-500" in r and "1500" in r], rows

    # The next order carries the gift as a free line.
    cart_add_line(owner=CartOwner(customer=shopper), part_id=fpga.pk, quantity=1)
    page.open("/checkout/")
    page.click_and_wait("button[name=action][value=review]")
    page.click_and_wait(place_order_button(page))
    order = Order.objects.get(customer=shopper)
    page.wait_for_path(f"/account/orders/{order.reference}/")
    assert "Tweezers set" in page.text and "Free gift" in page.text
    gift_line = order.lines.get(is_gift=True)
    assert (gift_line.mpn, gift_line.gross) == ("Tweezers set", 0)
