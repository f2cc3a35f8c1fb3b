"""Whole purchases in Chromium: from the search box to a paid order, a balance plus a bank
transfer staff record in the admin, a double click on "Place order", and the checkout
pages on a phone."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from catalog.models import Stock
from customers import services as customer_services
from customers.models import BalanceEntry, BalanceEntryKind, PointsEntry, User
from orders.cart.services import CartOwner, cart_add_line
from orders.models import Cart, Order, OrderEventKind, Payment, PaymentMethod, PaymentStatus
from orders.status import OrderStatus
from promotions.models import CouponState
from tests.customers.factories import PASSWORD, AddressFactory, CustomerFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.promotions.factories import FirstOrderDefinitionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "ada@acme-robotics.example"
NEW_PASSWORD = "Ferrite-Bead-600R"
FPGA_URL = "/part/amd/XC7A35T-1CSG324C/"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e-screenshots"
PHONE = (390, 844)


# --- the store's stock --------------------------------------------------------------------


@pytest.fixture
def fpga():
    """An FPGA sold from 1 piece at 238.00. The first-order coupon keeps the demo's terms
    (30.00 off from 200.00, shop/management/commands/load_demo_offers.py): one piece of a
    part above 200.00 reaches the minimum spend as a real first order would, without
    changing the coupon's terms for the test."""
    part = PartFactory(
        mpn="XC7A35T-1CSG324C",
        manufacturer=ManufacturerFactory(name="AMD", slug="amd"),
        category=CategoryFactory(name="FPGAs", slug="fpgas"),
        description="Artix-7 FPGA, 33280 logic cells, CSG324",
        moq=1,
        order_multiple=1,
    )
    StockFactory(part=part, on_hand=40, reserved=0)
    option = PackagingOptionFactory(part=part, kind="tray")
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("238.0000"))
    return part


@pytest.fixture
def express():
    return ShippingMethodFactory()  # 12.00 excl. VAT, free from 500.00 of parts


@pytest.fixture
def first_order_coupon():
    return FirstOrderDefinitionFactory()  # 30.00 off from 200.00, as the demo offers


@pytest.fixture
def twenty_parts():
    """Twenty capacitors in stock, 2.50 a piece from 10 pieces."""
    maker = ManufacturerFactory(name="Murata", slug="murata")
    category = CategoryFactory(name="MLCC", slug="mlcc")
    parts = []
    for n in range(20):
        part = PartFactory(
            mpn=f"GRM188R71H{100 + n}KA01D",
            manufacturer=maker,
            category=category,
            moq=10,
            order_multiple=10,
        )
        StockFactory(part=part, on_hand=10000)
        option = PackagingOptionFactory(part=part)
        PriceBreakFactory(packaging=option, min_quantity=10, unit_price=Decimal("2.5000"))
        parts.append(part)
    return parts


@pytest.fixture
def purchaser(express):
    customer = CustomerFactory(email="buyer@acme-robotics.example")
    AddressFactory(user=customer, is_default=True, recipient="Li Wei")
    return customer


# --- helpers ------------------------------------------------------------------------------


def amounts_of(page, container=".checkout-summary"):
    """The amounts block as {class: text} (subtotal, discount, shipping, vat, total, ...)."""
    block = page.css(f"{container} .order-amounts")
    return {
        dd.get_attribute("class").replace("num", "").strip(): dd.text
        for dd in block.find_elements("css selector", "dd")
    }


def assert_no_sideways_scroll(browser, what):
    """The page is no wider than the window; else name the elements that stick out."""
    fits = browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )
    if not fits:
        wide = browser.execute_script(
            """return [...document.querySelectorAll('main *')]
                .filter(e => !e.closest('.table-scroll'))  // scrolls in its own box
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 8)
                .map(e => e.tagName.toLowerCase() + '.' + e.className + ' '
                          + Math.round(e.getBoundingClientRect().right));"""
        )
        pytest.fail(f"{what} scrolls sideways at {PHONE[0]} px: {wide}")


def screenshot(browser, name):
    """The whole page at phone width as a PNG under var/ (to look at; not kept in git):
    the window grows to the page's height for the shot, then is a phone again."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(PHONE[0], height + 100)
    try:
        browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    finally:
        browser.set_window_size(*PHONE)


def place_order_button(page):
    return page.css("form.place-order button[data-once]")


# --- 1. a new visitor's first order, paid online -------------------------------------------


def test_new_visitor_finds_a_part_signs_up_at_checkout_uses_the_coupon_and_pays_online(
    page, fpga, express, first_order_coupon
):
    # Finds the FPGA by its part number from the header and puts one in the cart.
    page.open("/")
    page.fill("header form.search #q", "xc7a35t-1csg324c")
    page.click_and_wait("header form.search button[type=submit]")
    page.wait_for_path(FPGA_URL)
    assert page.css("h1").text == "XC7A35T-1CSG324C"
    field = page.css("#quantity")
    field.clear()
    field.send_keys("1")
    page.click_and_wait("#quantity-box button[type=submit]")
    page.wait_for_path("/cart/")
    assert "XC7A35T-1CSG324C is in your cart: 1 piece" in page.text

    # The checkout asks to sign in; a new visitor creates an account from there.
    page.click_and_wait(".proceed-to-checkout")
    page.wait_for_path("/account/login/")
    page.click_and_wait("main a[href^='/account/register/']")
    page.wait_for_path("/account/register/")
    page.fill("#id_email", NEW_EMAIL)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.choose("#id_customer_type", "Purchaser")
    page.fill("#id_company_name", "Acme Robotics")
    page.click_and_wait("form.form button[type=submit]")

    # Sign-up says the same for new and taken addresses; signing in leads back to checkout.
    page.wait_for_path("/account/register/done/")
    assert page.css("h1").text == "Check your email"
    page.click_and_wait("main a.button[href^='/account/login/']")
    page.wait_for_path("/account/login/")
    page.fill("#id_username", NEW_EMAIL)
    page.fill("#id_password", NEW_PASSWORD)
    page.click_and_wait("form.form button[type=submit]")

    # Back at the checkout, with the visitor's cart now the customer's.
    page.wait_for_path("/checkout/")
    user = User.objects.get(email=NEW_EMAIL)
    assert page.css("h1").text == "Checkout"
    assert "1 line, 1 piece ·" in page.css(".checkout-summary").text
    assert page.css(".cart-count").text == "1"
    cart = Cart.objects.get(customer=user, checked_out_at__isnull=True)
    assert list(cart.lines.values_list("part", "quantity")) == [(fpga.pk, 1)]
    coupon = user.coupons.get(is_first_order=True)

    # No address yet: a new one, typed at checkout; the coupon picked from the wallet.
    assert page.css("details.new-address").get_attribute("open") is not None
    page.fill("#id_new-label", "Lab")
    page.fill("#id_new-recipient", "Ada Lovelace")
    page.fill("#id_new-phone", "+86 755 8888 0000")
    page.fill("#id_new-line1", "1 Keji Road")
    page.fill("#id_new-city", "Shenzhen")
    page.fill("#id_new-postal_code", "518057")
    page.css(f"input[name=shipping_method][value='{express.pk}']").click()
    page.css(f"input[name=coupon][value='{coupon.code}']").click()
    page.css("input[name=payment_method][value=gateway]").click()
    page.click_and_wait("button[name=action][value=review]")

    # The review: every amount, worked out by hand.
    assert page.css("h1").text == "Review your order", page.text
    line = page.css(".order-line")
    assert line.find_element("css selector", ".mpn").text == "XC7A35T-1CSG324C"
    assert line.find_element("css selector", ".unit-price").text.startswith("238.0")
    assert line.find_element("css selector", ".line-total").text == "238.00"
    amounts = amounts_of(page, ".review-columns")
    assert amounts == {
        "subtotal": "CNY 238.00",
        "discount": "−CNY 30.00",
        "shipping": "CNY 12.00",
        "vat": "CNY 28.60",  # 13 % of 238.00 − 30.00 + 12.00
        "total": "CNY 248.60",
        "amount-due": "CNY 248.60",
    }
    assert "Ada Lovelace" in page.css(".review-choices").text
    assert f"{coupon.code} (" in page.css(".review-choices").text
    assert page.css(".payment-method").text.startswith("Online payment")
    assert place_order_button(page).text == "Place order · pay CNY 248.60"

    page.click_and_wait(place_order_button(page))

    order = Order.objects.get(customer=user)
    page.wait_for_path(f"/account/orders/{order.reference}/")
    assert f"Thank you: order {order.reference} is placed." in page.text
    assert "Awaiting payment" in page.css(".order-status").text
    assert order.payment_method == PaymentMethod.GATEWAY
    assert order.total == Decimal("248.60") and order.discount == Decimal("30.00")

    # Pays on the sandbox gateway's page, and comes back to the store.
    page.click_and_wait(".pay-panel form[action$='/online/'] button")
    payment = Payment.objects.get(order=order)
    page.wait_for_path(f"/payments/sandbox/{payment.provider_reference}/")
    assert "248.60 CNY" in page.text
    page.click_and_wait("button[name=action][value=pay]")
    page.wait_for_path(f"/payments/return/{payment.provider_reference}/")
    assert page.css("h1").text == "Payment received"
    assert "The order is paid." in page.text
    page.click_and_wait(f"main a[href='/account/orders/{order.reference}/']")

    page.wait_for_path(f"/account/orders/{order.reference}/")
    assert page.css(".order-status strong").text == "Paid"
    assert "Paid in full" in page.css(".pay-panel").text
    rows = [row.text for row in page.all("table.payments tbody tr")]
    assert len(rows) == 1
    assert "Online payment" in rows[0] and "CNY 248.60" in rows[0] and "Succeeded" in rows[0]
    timeline = page.css(".timeline").text
    assert "Awaiting payment → Paid" in timeline
    assert page.all(".timeline .event-payment")

    # And in the database: paid, the coupon used, the stock reserved, points earned.
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.amount_paid == Decimal("248.60")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    coupon.refresh_from_db()
    assert coupon.state == CouponState.USED
    assert coupon.order_reference == order.reference
    assert Stock.objects.get(part=fpga).reserved == 1
    earned = PointsEntry.objects.get(user=user, kind="earn")
    assert earned.points == 248  # 1 point per CNY paid, rounded down
    assert earned.reference_id == order.reference
    user.profile.refresh_from_db()
    assert user.profile.points == 248


# --- 2. part from the balance, the rest by bank transfer recorded in the admin ------------


def test_purchaser_pays_part_from_the_balance_and_staff_record_the_bank_transfer(
    page, browser, purchaser, twenty_parts
):
    customer_services.balance_credit(
        user=purchaser,
        amount=Decimal("300.00"),
        kind=BalanceEntryKind.ADJUSTMENT,
        idempotency_key="seed-balance",
        note="Credit note",
    )
    owner = CartOwner(customer=purchaser)
    for part in twenty_parts:
        cart_add_line(owner=owner, part_id=part.pk, quantity=20)
    staff = User.objects.create_superuser(email="ops@partline.example", password=PASSWORD)

    page.sign_in(purchaser.email, PASSWORD)
    page.open("/cart/")
    assert len(page.all(".cart-line")) == 20
    page.click_and_wait(".proceed-to-checkout")
    page.wait_for_path("/checkout/")
    assert "20 lines, 400 pieces" in page.css(".checkout-summary").text
    assert "Your balance: CNY 300.00" in page.css(".balance-hint").text
    # 20 × 20 × 2.50 = 1000.00 of parts, shipped free from 500.00; VAT 130.00.
    page.fill("#id_balance_amount", "300.00")
    page.css("input[name=payment_method][value=bank_transfer]").click()
    page.click_and_wait("button[name=action][value=review]")

    assert page.css("h1").text == "Review your order", page.text
    assert len(page.all(".order-line")) == 20
    assert amounts_of(page, ".review-columns") == {
        "subtotal": "CNY 1,000.00",
        "shipping": "CNY 0.00",
        "vat": "CNY 130.00",
        "total": "CNY 1,130.00",
        "balance": "−CNY 300.00",
        "amount-due": "CNY 830.00",
    }
    page.click_and_wait(place_order_button(page))

    order = Order.objects.get(customer=purchaser)
    page.wait_for_path(f"/account/orders/{order.reference}/")
    bank = page.css(".pay-panel .bank-details").text
    assert "Amount\n830.00 CNY" in bank
    assert f"Reference to quote\n{order.reference}" in bank
    assert "7420 0000 1234 5678 901" in bank
    assert "Still due: 830.00 CNY" in page.css(".pay-panel").text
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.amount_paid == Decimal("300.00")

    # Staff sign in to the admin in the same browser and record the transfer.
    page.click_and_wait(".account-nav form button[type=submit]")
    page.open("/admin/login/?next=/admin/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click_and_wait("#login-form input[type=submit]")
    page.open("/admin/orders/payment/")
    page.click_and_wait(".object-tools a.addlink")
    assert page.css("#content h1").text == "Record a received bank transfer"
    page.fill("#id_reference", order.reference.lower())
    page.fill("#id_amount", "830.00")
    page.fill("#id_bank_reference", "BOC-20261202-0042")
    page.click_and_wait("#content form input[type=submit]")
    assert page.path == "/admin/orders/payment/"
    assert (
        f"830.00 CNY recorded on {order.reference}: the order is paid."
        in page.css(".messagelist").text
    )

    # The customer reloads the order page: paid, both payments listed.
    browser.delete_all_cookies()
    page.sign_in(purchaser.email, PASSWORD, next_path=f"/account/orders/{order.reference}/")
    assert page.css(".order-status strong").text == "Paid"
    assert page.all(".pay-panel .bank-details") == []
    rows = [row.text for row in page.all("table.payments tbody tr")]
    assert len(rows) == 2
    assert any("Account balance" in r and "CNY 300.00" in r and "Succeeded" in r for r in rows)
    assert any("Bank transfer" in r and "CNY 830.00" in r and "Succeeded" in r for r in rows)
    page.click_and_wait('.account-menu a[href="/account/balance/"]')
    assert page.css(".account-main .figure").text == "0.00 CNY"
    ledger = [row.text for row in page.all(".ledger tbody tr")]
    assert any(f"Payment {order.reference} -300.00 0.00" in row for row in ledger), ledger

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.amount_paid == Decimal("1130.00")
    assert set(order.payments.values_list("method", "amount", "status")) == {
        (PaymentMethod.BALANCE, Decimal("300.00"), PaymentStatus.SUCCEEDED),
        (PaymentMethod.BANK_TRANSFER, Decimal("830.00"), PaymentStatus.SUCCEEDED),
    }
    debit = BalanceEntry.objects.get(user=purchaser, kind=BalanceEntryKind.PAYMENT)
    assert debit.amount == Decimal("-300.00") and debit.reference_id == order.reference
    assert order.events.filter(kind=OrderEventKind.PAYMENT).count() == 2


# --- 3. a double click on "Place order" ---------------------------------------------------


def test_double_click_on_place_order_makes_one_order(page, browser, purchaser, fpga):
    cart_add_line(owner=CartOwner(customer=purchaser), part_id=fpga.pk, quantity=2)
    page.sign_in(purchaser.email, PASSWORD, next_path="/checkout/")
    page.click_and_wait("button[name=action][value=review]")
    assert page.css("h1").text == "Review your order", page.text

    from selenium.webdriver.common.action_chains import ActionChains

    old = page.css("html")
    # A person's double click: the second click before the first answer has arrived.
    ActionChains(browser).double_click(place_order_button(page)).perform()
    page.wait_for_new_page(old)
    order = Order.objects.get(customer=purchaser)
    page.wait_for_path(f"/account/orders/{order.reference}/")
    assert page.css("h1").text == f"Order {order.reference}"
    assert f"Thank you: order {order.reference} is placed." in page.text
    assert Order.objects.count() == 1
    assert order.events.filter(kind=OrderEventKind.PLACED).count() == 1
    assert Stock.objects.get(part=fpga).reserved == 2


def test_place_order_posted_twice_answers_the_same_order(page, browser, purchaser, fpga):
    """The second post of the same review (the button clicked again as the first answer
    is on its way) lands on the order the first one made."""
    cart_add_line(owner=CartOwner(customer=purchaser), part_id=fpga.pk, quantity=2)
    page.sign_in(purchaser.email, PASSWORD, next_path="/checkout/")
    page.click_and_wait("button[name=action][value=review]")
    # Send the review's form twice from the page, as two clicks do, and follow both.
    paths = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const form = document.querySelector('form.place-order');
        const post = () => fetch(form.getAttribute('action'), {
            method: 'POST', body: new FormData(form), credentials: 'same-origin'});
        Promise.all([post(), post()]).then(
            answers => done(answers.map(a => [a.status, new URL(a.url).pathname])));
        """
    )
    order = Order.objects.get(customer=purchaser)
    assert paths == [[200, f"/account/orders/{order.reference}/"]] * 2
    assert Order.objects.count() == 1


# --- phone width --------------------------------------------------------------------------


def test_checkout_review_and_order_pages_fit_a_phone(page, browser, purchaser, twenty_parts):
    customer_services.balance_credit(
        user=purchaser, amount=Decimal("50.00"), idempotency_key="seed-balance"
    )
    owner = CartOwner(customer=purchaser)
    for part in twenty_parts[:3]:
        cart_add_line(owner=owner, part_id=part.pk, quantity=20)
    page.sign_in(purchaser.email, PASSWORD)
    browser.set_window_size(*PHONE)
    try:
        page.open("/checkout/")
        page.fill("#id_balance_amount", "50")
        screenshot(browser, "checkout-phone")
        assert_no_sideways_scroll(browser, "the checkout")
        page.click_and_wait("button[name=action][value=review]")
        assert page.css("h1").text == "Review your order"
        screenshot(browser, "review-phone")
        assert_no_sideways_scroll(browser, "the review")
        page.click_and_wait(place_order_button(page))
        order = Order.objects.get(customer=purchaser)
        page.wait_for_path(f"/account/orders/{order.reference}/")
        assert page.all("table.payments tbody tr")  # the balance part, listed
        assert page.css(".pay-panel .bank-details").is_displayed()
        screenshot(browser, "order-phone")
        assert_no_sideways_scroll(browser, "the order page")
    finally:
        browser.set_window_size(1280, 900)
