"""A lucky draw in Chromium: a customer pays an order, sees the draw it earned, draws, and
finds the coupon won in their account; the draw pages fit a phone."""

from decimal import Decimal

import pytest

from orders.cart.services import CartOwner, cart_add_line
from orders.models import Order, Payment
from promotions.draw_models import Draw, DrawState
from promotions.models import Coupon
from tests.customers.factories import PASSWORD, AddressFactory, CustomerFactory
from tests.e2e.test_checkout_journeys import PHONE, assert_no_sideways_scroll, place_order_button
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.promotions.draw_helpers import campaign

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


def test_a_customer_pays_an_order_draws_and_finds_the_coupon_won_in_the_account(
    page, browser, fpga
):
    express = ShippingMethodFactory()
    customer = CustomerFactory(email="ada@acme-robotics.example")
    AddressFactory(user=customer, is_default=True, recipient="Ada Lovelace")
    lucky = campaign(
        name="Autumn lucky draw",
        prizes=[("50 off your next order", "100", 3)],
        no_prize="0",
        min_order_amount=Decimal("100.00"),
        step_amount=None,
    )
    cart_add_line(owner=CartOwner(customer=customer), part_id=fpga.pk, quantity=1)

    page.sign_in(customer.email, PASSWORD)
    page.open("/cart/")
    page.click_and_wait(".proceed-to-checkout")
    page.wait_for_path("/checkout/")
    page.css(f"input[name=shipping_method][value='{express.pk}']").click()
    page.css("input[name=payment_method][value=gateway]").click()
    page.click_and_wait("button[name=action][value=review]")
    page.click_and_wait(place_order_button(page))
    order = Order.objects.get(customer=customer)
    page.wait_for_path(f"/account/orders/{order.reference}/")
    assert not page.all(".order-draws")  # unpaid: no draw yet

    page.click_and_wait(".pay-panel form[action$='/online/'] button")
    payment = Payment.objects.get(order=order)
    page.wait_for_path(f"/payments/sandbox/{payment.provider_reference}/")
    page.click_and_wait("button[name=action][value=pay]")
    page.wait_for_path(f"/payments/return/{payment.provider_reference}/")
    page.click_and_wait(f"main a[href='/account/orders/{order.reference}/']")

    # The order page tells of the draw the payment earned.
    draw = Draw.objects.get(customer=customer, order_reference=order.reference)
    assert "This order earned 1 lucky draw." in page.css(".order-draws").text
    assert draw.public_id in page.css(".order-draws").text
    page.click_and_wait(".order-draws a.button")
    page.wait_for_path("/account/draws/")
    assert draw.public_id in page.text

    browser.set_window_size(*PHONE)
    try:
        assert_no_sideways_scroll(browser, "the draws page")
        page.click_and_wait(".draw-form button")
        page.wait_for_path(f"/account/draws/{draw.public_id}/")
        assert_no_sideways_scroll(browser, "a draw's page")
    finally:
        browser.set_window_size(1280, 900)

    coupon = Coupon.objects.get(user=customer)
    assert "You won 50 off your next order!" in page.text
    assert page.css(".prize-coupon").text == coupon.code
    draw.refresh_from_db()
    assert draw.state == DrawState.DRAWN

    page.click_and_wait("main a[href='/account/coupons/']")
    page.wait_for_path("/account/coupons/")
    assert coupon.code in page.text

    # The public page shows one prize fewer left.
    page.open(f"/draws/{lucky.slug}/")
    assert "2 / 3" in page.css(".draw-odds").text
