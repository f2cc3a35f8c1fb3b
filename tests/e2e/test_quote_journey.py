"""A quote bought in Chromium: staff quote two lines of an inquiry in the admin, the
customer takes one into the cart from their account, pays it from the balance at the quoted
price, and the order shows the quoted unit price."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers import services as customer_services
from orders.models import CartLine, InquiryStatus, Order, OrderLine
from orders.status import OrderStatus
from tests.customers.factories import PASSWORD, AddressFactory, CustomerFactory
from tests.e2e.test_checkout_journeys import assert_no_sideways_scroll
from tests.factories import (
    InquiryFactory,
    InquiryLineFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def stocked(mpn, maker, price):
    part = PartFactory(mpn=mpn, manufacturer=ManufacturerFactory(name=maker), moq=1)
    StockFactory(part=part, on_hand=100000)
    PriceBreakFactory(
        packaging=PackagingOptionFactory(part=part), min_quantity=1, unit_price=Decimal(price)
    )
    return part


def test_staff_quote_two_lines_and_the_customer_buys_one_at_the_quoted_price(page, browser):
    staff = CustomerFactory(email="sales@partline.example", is_staff=True, is_superuser=True)
    buyer = CustomerFactory(email="buyer@acme-robotics.example")
    AddressFactory(user=buyer, is_default=True, recipient="Li Wei")
    ShippingMethodFactory()  # 12.00 excl. VAT, free from 500.00 of parts
    customer_services.balance_credit(
        user=buyer, amount=Decimal("5000.00"), idempotency_key="seed-balance"
    )
    mcu = stocked("STM32F103C8T6", "STMicroelectronics", "9.5000")
    timer = stocked("NE555P", "Texas Instruments", "0.3000")
    inquiry = InquiryFactory(customer=buyer, email=buyer.email)
    InquiryLineFactory(inquiry=inquiry, part=mcu, mpn=mcu.mpn, quantity=100)
    InquiryLineFactory(inquiry=inquiry, part=timer, mpn=timer.mpn, quantity=2000)
    valid = timezone.localdate() + timedelta(days=14)

    # Staff answer both lines in the admin and send the quote.
    page.open("/admin/login/?next=/admin/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click_and_wait("#login-form input[type=submit]")
    page.open(f"/admin/orders/inquiry/{inquiry.pk}/change/")
    for row, (price, quantity) in enumerate((("6.2000", "100"), ("0.2100", "2000"))):
        page.fill(f"#id_lines-{row}-quoted_unit_price", price)
        page.fill(f"#id_lines-{row}-quoted_quantity", quantity)
        page.fill(f"#id_lines-{row}-lead_days", "3")
        page.fill(f"#id_lines-{row}-valid_until", valid.isoformat())
    page.choose("#id_next_status", "Send the quote to the customer")
    page.click_and_wait("input[name=_save]")
    assert "the quote is sent to the customer" in page.css("ul.messagelist").text
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED

    # The customer reads the quote in their account and buys the microcontrollers only.
    browser.delete_all_cookies()
    page.sign_in(buyer.email, PASSWORD, next_path=f"/account/quotes/{inquiry.reference}/")
    assert "6.20" in page.text and "0.21" in page.text and valid.isoformat() in page.text
    mcu_line = inquiry.lines.get(part=mcu)
    page.css(f"#accept-{mcu_line.pk}").click()
    page.click_and_wait("form.quote-accept button[type=submit]")
    page.wait_for_path("/cart/")
    quoted = page.css(f"#line-{CartLine.objects.get().pk}")
    assert inquiry.reference in quoted.text and valid.isoformat() in quoted.text
    assert quoted.find_element("css selector", ".unit-price").text.startswith("6.20")
    assert not quoted.find_elements("css selector", "input[name=quantity]")

    # And pays it from the balance.
    page.click_and_wait(".proceed-to-checkout")
    page.css("input[name=payment_method][value=balance]").click()
    page.click_and_wait("button[name=action][value=review]")
    assert page.css("h1").text == "Review your order", page.text
    assert page.css(".order-line .unit-price").text.startswith("6.20")
    page.click_and_wait("form.place-order button[data-once]")

    order = Order.objects.get(customer=buyer)
    page.wait_for_path(f"/account/orders/{order.reference}/")
    assert page.css(".order-status strong").text == "Paid"
    assert page.css(".order-line .unit-price").text.startswith("6.20")
    assert order.status == OrderStatus.PAID and order.subtotal == Decimal("620.00")
    sold = OrderLine.objects.get(order=order)
    assert sold.unit_price == Decimal("6.2000") and sold.quote_line == mcu_line
    # The bought line is not offered again; the other line still is.
    page.open(f"/account/quotes/{inquiry.reference}/")
    assert f"Ordered in {order.reference}" in page.text
    assert not page.all(f"#accept-{mcu_line.pk}")
    assert page.all(f"#accept-{inquiry.lines.get(part=timer).pk}")

    # The quote page and the quote form fit a phone (the lines table scrolls in its box).
    browser.set_window_size(390, 844)
    try:
        for path in (f"/account/quotes/{inquiry.reference}/", "/quote/"):
            page.open(path)
            assert_no_sideways_scroll(browser, path)
    finally:
        browser.set_window_size(1280, 900)
