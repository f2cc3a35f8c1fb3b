"""A return in Chromium: a customer with a delivered order opens a return with a photo, staff
accept it and refund it to the balance in the admin, the customer follows every step and
sees the money on the balance; another customer finds neither the page nor the API entry."""

import io
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from customers.models import CustomerProfile, User
from orders.models import ReturnRequest
from tests.customers.factories import PASSWORD, AddressFactory, CustomerFactory
from tests.e2e.test_checkout_journeys import PHONE, assert_no_sideways_scroll
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.returns_helpers import delivered_order

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
def purchaser():
    ShippingMethodFactory()  # 12.00 excl. VAT
    customer = CustomerFactory(email="buyer@acme-robotics.example")
    AddressFactory(user=customer, is_default=True, recipient="Li Wei")
    return customer


@pytest.fixture
def photo_path():
    directory = Path(tempfile.mkdtemp(prefix="partline-rma-"))
    path = directory / "bent-pins.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 120, 160)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def sign_out(page):
    page.click_and_wait(".account-nav form button[type=submit]")


def staff_step(page, rma, step, message=""):
    page.open(f"/admin/orders/returnrequest/{rma.pk}/change/")
    if message:
        page.fill("#step-message", message)
    page.click_and_wait(f"#return-steps button.step-{step}")
    return page.css(".messagelist").text


def test_a_customer_returns_a_part_and_staff_refund_it_to_the_balance(
    page, browser, purchaser, fpga, photo_path
):
    # 2 FPGAs at 238.00 + 12.00 shipping, 13 % VAT: 551.44 paid from 1,000.00 of balance.
    order = delivered_order(purchaser, fpga, quantity=2)
    line = order.lines.get()
    assert line.gross == Decimal("537.88")
    assert CustomerProfile.objects.get(user=purchaser).balance == Decimal("448.56")
    staff = User.objects.create_superuser(email="ops@partline.example", password=PASSWORD)

    # The customer opens a return of one FPGA from the order's page, with a photo.
    page.sign_in(purchaser.email, PASSWORD, next_path=f"/account/orders/{order.reference}/")
    page.click_and_wait(".order-returns a.return-open")
    page.choose("#id_reason", "Bent pins")
    page.fill("#id_quantity", "1")
    page.fill("#id_description", "Two balls of the BGA are flattened.")
    page.css("#id_photos").send_keys(photo_path)
    page.click_and_wait("form.return-open button[type=submit]")

    rma = ReturnRequest.objects.get()
    page.wait_for_path(f"/account/returns/{rma.reference}/")
    assert "Waiting for our review" in page.css(".return-status").text
    assert rma.photos.count() == 1
    photo = page.css(".return-photos img")
    assert browser.execute_script("return arguments[0].naturalWidth", photo) == 320

    # Staff accept it and refund it to the balance in the admin.
    sign_out(page)
    page.open("/admin/login/?next=/admin/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click_and_wait("#login-form input[type=submit]")
    page.open(f"/admin/orders/returnrequest/{rma.pk}/change/")
    assert "268.94 CNY" in page.css(".field-refund_due").text
    assert "Accepted" in staff_step(page, rma, "accept", "Please send the FPGA back.")
    assert "Refunded" in staff_step(page, rma, "refund_balance")
    rma.refresh_from_db()
    assert (rma.status, rma.refund_amount) == ("refunded", Decimal("268.94"))

    # The customer sees every step with its message, and the money on the balance.
    browser.delete_all_cookies()
    page.sign_in(purchaser.email, PASSWORD, next_path=f"/account/returns/{rma.reference}/")
    timeline = page.css(".return-timeline").text
    assert "Accepted" in timeline and "Please send the FPGA back." in timeline
    assert "268.94 CNY refunded to your account balance." in timeline
    assert "CNY 268.94" in page.css(".resolution").text
    browser.set_window_size(*PHONE)
    try:
        assert_no_sideways_scroll(browser, "the return page")
        page.open("/account/returns/")
        assert rma.reference in page.css("table.returns").text
        assert_no_sideways_scroll(browser, "the returns list")
    finally:
        browser.set_window_size(1280, 900)
    page.open("/account/balance/")
    assert page.css(".account-main .figure").text == "717.50 CNY"

    # Another customer finds neither the return's page nor its API entry.
    other = CustomerFactory(email="rival@example.com")
    browser.delete_all_cookies()
    page.sign_in(other.email, PASSWORD)
    page.open(f"/account/returns/{rma.reference}/")
    assert page.css("h1").text == "We could not find that page"
    page.open(f"/api/v1/returns/{rma.reference}/")
    assert '"not_found"' in browser.page_source
    assert "Two balls of the BGA" not in browser.page_source
