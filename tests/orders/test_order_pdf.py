"""The order confirmation / proforma invoice PDF: a real PDF whose Chinese text is readable."""

import io
import logging

import pytest
from pypdf import PdfReader

from orders.account import pdf
from tests.customers.factories import AddressFactory, InvoiceDetailsFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese_order(customer, resistor):
    address = AddressFactory(
        user=customer,
        is_default=True,
        recipient="张伟",
        company="深圳市优创电子有限公司",
        line1="南山区科技园科苑路 15 号",
        city="深圳",
        region="广东",
    )
    InvoiceDetailsFactory(
        user=customer,
        company_title="深圳市优创电子有限公司",
        registered_address="深圳市南山区科苑路 15 号",
        registered_phone="0755-8888 6666",
        bank_name="招商银行深圳分行",
        bank_account="7559 1234 5678 901",
    )
    resistor.description = "厚膜贴片电阻 10kΩ ±1% 0603"
    resistor.save()
    fill_cart(customer, (resistor, 150))
    return place(
        customer,
        choices(address, ShippingMethodFactory(), invoice_kind="special", po_number="采购-0042"),
    )


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_a_pdf(chinese_order):
    data = pdf.render_order_pdf(chinese_order)

    assert data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) == 1


def test_the_pdf_reads_back_in_chinese(chinese_order):
    text = text_of(pdf.render_order_pdf(chinese_order))

    assert "深圳市优创电子有限公司" in text
    assert "张伟" in text and "南山区科技园科苑路 15 号" in text
    assert "厚膜贴片电阻" in text and "采购-0042" in text
    assert "招商银行深圳分行" in text


def test_the_pdf_has_the_order_lines_totals_and_how_to_pay(chinese_order):
    text = text_of(pdf.render_order_pdf(chinese_order))

    assert chinese_order.reference in text
    assert "RC0603FR-0710KL" in text and "YAGEO" in text and "Cut tape" in text
    assert "0.0061" in text and "0.92" in text and "1.04" in text
    assert "CNY 14.60" in text
    assert "VAT is computed per line, as on your VAT invoice." in text
    assert "Bank of China, Shenzhen Branch" in text
    assert f"Please transfer CNY 14.60 and write the order reference {chinese_order.reference}" in (
        " ".join(text.split())
    )


def test_the_font_embedded_is_the_cjk_truetype_font(chinese_order):
    reader = PdfReader(io.BytesIO(pdf.render_order_pdf(chinese_order)))

    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert any(name.endswith("+WenQuanYiMicroHei-0") for name in names)


def test_without_the_font_file_the_pdf_falls_back_and_warns(
    chinese_order, monkeypatch, tmp_path, caplog
):
    monkeypatch.setattr(pdf, "CJK_FONT_PATH", tmp_path / "missing.ttc")

    with caplog.at_level(logging.WARNING, logger="orders.account.pdf"):
        data = pdf.render_order_pdf(chinese_order)

    assert data.startswith(b"%PDF-") and b"STSong-Light" in data
    assert "install fonts-wqy-microhei" in caplog.text


def test_the_pdf_view_answers_a_pdf_named_after_the_order(client, customer, chinese_order):
    client.force_login(customer)

    response = client.get(f"/account/orders/{chinese_order.reference}/pdf/", secure=True)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{chinese_order.reference}.pdf"'
    assert response.content.startswith(b"%PDF-")
