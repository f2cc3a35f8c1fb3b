"""The signed-in and sign-in pages, the emails and the PDFs in Chinese.

Each page is fetched in Chinese and the interface text of its ``<main>`` element is checked
for English words (tests.i18n.english): the header and footer come from the base layout, whose
wording is translated with the storefront, so only the page's own content is checked here.
"""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from customers.models import Notification, User
from customers.notifications import notify
from orders.account.pdf import render_order_pdf
from orders.rfq.pdf import quote_pdf
from orders.rfq.views import SENT_INQUIRY_KEY
from tests.customers.factories import AddressFactory, CustomerFactory, InvoiceDetailsFactory
from tests.factories import (
    CategoryFactory,
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.i18n.english import english_ui_strings
from tests.orders.bom_helpers import make_bom
from tests.orders.checkout_helpers import choices, fill_cart, place
from tests.orders.quote_helpers import quoted_inquiry

pytestmark = pytest.mark.django_db

CHINESE = "zh-hans"


@pytest.fixture
def resistor(db):
    part = PartFactory(
        mpn="RC0603FR-0710KL",
        manufacturer=ManufacturerFactory(name="YAGEO", slug="yageo"),
        category=CategoryFactory(name="Chip Resistors", slug="chip-resistors"),
        moq=10,
        order_multiple=10,
    )
    StockFactory(part=part, on_hand=42000)
    cut_tape = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=cut_tape, min_quantity=10, unit_price=Decimal("0.0120"))
    PriceBreakFactory(packaging=cut_tape, min_quantity=100, unit_price=Decimal("0.0061"))
    return part


@pytest.fixture
def customer(db):
    return CustomerFactory(email="caigou@example.cn", first_name="伟", last_name="李")


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def express(db):
    return ShippingMethodFactory()


@pytest.fixture
def order(customer, resistor, address, express):
    InvoiceDetailsFactory(user=customer)
    fill_cart(customer, (resistor, 150))
    return place(customer, choices(address, express, po_number="PO-4711"), key="zh-1")


@pytest.fixture
def chinese(client):
    client.cookies["django_language"] = CHINESE
    return client


@pytest.fixture
def signed_in(chinese, customer):
    chinese.force_login(customer)
    return chinese


def zh_url(name, *args):
    with translation.override(CHINESE):
        return reverse(name, args=args)


def zh_get(client, name, *args, query=""):
    response = client.get(
        zh_url(name, *args) + query, HTTP_ACCEPT_LANGUAGE=CHINESE, secure=True
    )
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def main_of(html: str) -> str:
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, "the page has no <main>"
    return match.group(0)


def assert_chinese(client, name, *args, query=""):
    main = main_of(zh_get(client, name, *args, query=query))
    left = english_ui_strings(main)
    assert left == [], f"{name}: {left}"
    return main


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "customers:login",
        "customers:register",
        "customers:password-reset",
        "customers:password-reset-done",
        "customers:password-reset-complete",
        "orders:quote",
        "orders:bom",
    ],
)
def test_the_pages_of_a_visitor_are_chinese(chinese, name):
    assert_chinese(chinese, name)


def test_a_password_reset_link_that_no_longer_works_is_chinese(chinese):
    assert_chinese(chinese, "customers:password-reset-confirm", "MQ", "set-password")


@pytest.mark.parametrize(
    "name",
    [
        "customers:overview",
        "customers:profile",
        "customers:addresses",
        "customers:address-create",
        "customers:invoice-details",
        "customers:balance",
        "customers:top-up",
        "customers:api-keys",
        "customers:messages",
        "customers:points",
        "orders:order-list",
        "orders:inquiry-list",
        "orders:account-bom-list",
    ],
)
def test_the_account_pages_are_chinese(signed_in, address, order, name):
    assert_chinese(signed_in, name)


def test_an_address_form_is_chinese(signed_in, address):
    assert_chinese(signed_in, "customers:address-edit", address.pk)


def test_the_cart_with_lines_is_chinese(signed_in, customer, resistor):
    fill_cart(customer, (resistor, 150))

    main = assert_chinese(signed_in, "orders:cart")

    assert "购物车" in main and "RC0603FR-0710KL" in main


def test_the_checkout_is_chinese(signed_in, customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))

    main = assert_chinese(signed_in, "orders:checkout")

    assert "结算" in main


def test_an_order_page_with_its_payment_instructions_is_chinese(signed_in, order):
    main = assert_chinese(signed_in, "orders:order-detail", order.reference)

    assert "待付款" in main and "对公转账" in main and order.reference in main


def test_a_message_is_chinese(signed_in, customer, order):
    _speaks(customer, CHINESE)
    message = notify(
        customer=customer, kind="order_placed", dedup_key="zh", context={"order": order}
    )

    assert_chinese(signed_in, "customers:message-detail", message.pk)


def test_a_quote_and_its_request_are_chinese(signed_in, customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    session = signed_in.session
    session[SENT_INQUIRY_KEY] = inquiry.reference
    session.save()

    assert_chinese(signed_in, "orders:inquiry-detail", inquiry.reference)
    assert_chinese(signed_in, "orders:quote-sent")


def test_a_matched_bom_is_chinese(signed_in, customer, resistor):
    from orders.cart.services import CartOwner

    bom = make_bom(
        "MPN,Manufacturer,Qty,Designator\nRC0603FR-0710KL,YAGEO,4,R1 R2 R3 R4\n",
        owner=CartOwner(customer=customer),
        build_quantity=25,
    )

    main = assert_chinese(signed_in, "orders:bom-detail", bom.pk)

    assert "已匹配" in main


# --- form errors ----------------------------------------------------------------------------


def test_a_form_error_is_in_chinese(chinese):
    response = chinese.post(
        zh_url("customers:register"),
        {"email": "not-an-address", "password1": "a", "password2": "b",
         "customer_type": "engineer"},
        HTTP_ACCEPT_LANGUAGE=CHINESE,
        secure=True,
    )

    main = main_of(response.content.decode())
    assert response.status_code == 200
    assert "请输入有效的邮箱地址" in main and "两次输入的密码不一致" in main
    assert english_ui_strings(main) == []


def test_a_wrong_quantity_in_the_cart_is_refused_in_chinese(signed_in, resistor):
    response = signed_in.post(
        zh_url("orders:cart-add"),
        {"part": resistor.pk, "quantity": "lots"},
        HTTP_ACCEPT_LANGUAGE=CHINESE,
        secure=True,
    )

    assert response.status_code in (200, 400)
    assert "请输入整数数量" in response.content.decode()


# --- the customer's language ----------------------------------------------------------------


def test_a_customer_registered_in_chinese_speaks_chinese(
    chinese, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register_in_chinese(chinese)

    assert User.objects.get(email="new@example.cn").language == CHINESE
    assert "请确认您" in mail.outbox[-1].subject


def _register_in_chinese(chinese):
    chinese.post(
        zh_url("customers:register"),
        {
            "email": "new@example.cn",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
            "customer_type": "engineer",
        },
        HTTP_ACCEPT_LANGUAGE=CHINESE,
        secure=True,
    )


def test_a_customer_registered_in_english_speaks_english(client):
    client.post(
        reverse("customers:register"),
        {
            "email": "new@example.com",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
            "customer_type": "engineer",
        },
        secure=True,
    )

    assert User.objects.get(email="new@example.com").language == "en"


def test_browsing_in_another_language_changes_the_customers_language(signed_in, customer):
    zh_get(signed_in, "customers:overview")
    customer.refresh_from_db()
    assert customer.language == CHINESE

    signed_in.cookies["django_language"] = "en"
    with translation.override("en"):
        signed_in.get(reverse("customers:overview"), HTTP_ACCEPT_LANGUAGE="en", secure=True)
    customer.refresh_from_db()
    assert customer.language == "en"


# --- emails and PDFs ------------------------------------------------------------------------


def _speaks(customer, language):
    User.objects.filter(pk=customer.pk).update(language=language)
    customer.refresh_from_db()


def test_an_order_email_to_a_chinese_customer_is_chinese(customer, resistor, address, express):
    _speaks(customer, CHINESE)
    mail.outbox.clear()

    order = place_order(customer, resistor, address, express)

    message = Notification.objects.get(customer=customer, kind="order_placed")
    assert message.language == CHINESE
    assert message.subject.startswith(f"已收到订单 {order.reference}")
    assert "您好" in message.body_text and "请转账" in message.body_text
    sent = [m for m in mail.outbox if m.to == [customer.email]][-1]
    assert sent.subject == message.subject and "您好" in sent.body


def test_an_order_email_to_an_english_customer_is_english(customer, resistor, address, express):
    with translation.override(CHINESE):  # whatever page the order was placed from
        order = place_order(customer, resistor, address, express)

    message = Notification.objects.get(customer=customer, kind="order_placed")
    assert message.subject.startswith(f"Order {order.reference} received")
    assert "Hello," in message.body_text


def place_order(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return place(customer, choices(address, express), key=f"mail-{customer.pk}")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_order_pdf_of_a_chinese_customer_has_chinese_labels(customer, order):
    _speaks(customer, CHINESE)
    order.refresh_from_db()

    text = pdf_text(render_order_pdf(order))

    assert "订单确认" in text and "收货地址" in text and "应付金额" in text
    assert "Ship to" not in text and "Amount to pay" not in text


def test_the_quote_pdf_of_a_chinese_customer_has_chinese_labels(customer, resistor):
    _speaks(customer, CHINESE)
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    inquiry.quoted_at = timezone.now() - timedelta(hours=1)

    text = pdf_text(quote_pdf(inquiry))

    assert "报价单" in text and "有效期至" in text and "交期" in text
    assert "Valid until" not in text and "Lead time" not in text


def test_the_order_pdf_of_an_english_customer_stays_english(order):
    text = pdf_text(render_order_pdf(order))

    assert "Ship to" in text and "Amount to pay" in text
