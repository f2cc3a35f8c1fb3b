"""The customer's quotes in the account and the API: our answer per line, buying chosen
lines, declining, the PDF; and the quote form's rows."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from orders.models import CartLine, Inquiry, InquiryLine, InquiryStatus
from orders.rfq.pdf import quote_pdf
from tests.factories import InquiryLineFactory, PartFactory
from tests.orders.quote_helpers import quoted_inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted(customer, resistor):
    return quoted_inquiry(customer, (resistor, 20000, "0.0030"), (PartFactory(), 100, "1.25"))


def page(client, inquiry):
    return client.get(f"/account/quotes/{inquiry.reference}/", secure=True).content.decode()


# --- account pages ----------------------------------------------------------------------------


def test_the_quote_page_shows_each_answer_and_the_validity(client, customer, quoted):
    client.force_login(customer)

    html = page(client, quoted)

    valid = quoted.lines.first().valid_until
    assert "0.003" in html and "1.25" in html and "60.00" in html
    assert f"{valid:%Y-%m-%d}" in html and "ships in 3 days" in html
    assert html.count('name="line"') == 2


def test_the_customer_buys_one_chosen_line_into_the_cart(client, customer, quoted):
    client.force_login(customer)
    first = quoted.lines.order_by("pk").first()

    response = client.post(
        f"/account/quotes/{quoted.reference}/accept/",
        {"line": [str(first.pk)], "idempotency_key": "k1"},
        secure=True,
    )

    assert response.status_code == 302 and response["Location"] == "/cart/"
    cart_line = CartLine.objects.get()
    assert cart_line.quote_line == first and cart_line.quantity == 20000
    cart = client.get("/cart/", secure=True).content.decode()
    assert quoted.reference in cart and "Quoted quantity, fixed" in cart
    assert 'name="quantity"' not in cart.split(quoted.reference)[1].split("</tr>")[0]


def test_buying_nothing_ticked_says_what_to_do(client, customer, quoted):
    client.force_login(customer)

    url = f"/account/quotes/{quoted.reference}/accept/"
    response = client.post(url, {}, secure=True, follow=True)

    assert "Choose at least one quoted line to buy." in response.content.decode()
    assert not CartLine.objects.exists()


def test_the_customer_declines_from_the_page(client, customer, quoted):
    client.force_login(customer)

    client.post(f"/account/quotes/{quoted.reference}/decline/", secure=True)

    quoted.refresh_from_db()
    assert quoted.status == InquiryStatus.DECLINED
    assert 'name="line"' not in page(client, quoted)


def test_an_expired_quote_offers_to_ask_again_with_its_lines(client, customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030", -1))
    client.force_login(customer)

    html = page(client, inquiry)
    form = client.get(f"/quote/?again={inquiry.reference}", secure=True).content.decode()

    assert "This quote has expired" in html and f"?again={inquiry.reference}" in html
    assert 'value="RC0603FR-0710KL"' in form and 'value="20000"' in form


def test_another_customers_quote_cannot_be_read_bought_or_downloaded(
    client, other_customer, quoted
):
    client.force_login(other_customer)
    base = f"/account/quotes/{quoted.reference}/"

    assert client.get(base, secure=True).status_code == 404
    assert client.get(base + "pdf/", secure=True).status_code == 404
    line = str(quoted.lines.first().pk)
    assert client.post(base + "accept/", {"line": [line]}, secure=True).status_code == 404
    assert not CartLine.objects.exists()


def test_another_customers_quote_is_not_prefilled_by_ask_again(client, other_customer, quoted):
    client.force_login(other_customer)

    form = client.get(f"/quote/?again={quoted.reference}", secure=True).content.decode()

    assert "RC0603FR-0710KL" not in form


# --- the PDF ----------------------------------------------------------------------------------


def test_the_quote_pdf_carries_the_lines_and_chinese_text(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    Inquiry.objects.filter(pk=inquiry.pk).update(company="深圳市华强电子有限公司")
    inquiry.refresh_from_db()

    reader = PdfReader(io.BytesIO(quote_pdf(inquiry)))

    text = "".join(p.extract_text() for p in reader.pages)
    assert "深圳市华强电子有限公司" in text and "报价单" in text
    assert inquiry.reference in text and "RC0603FR-0710KL" in text and "0.003" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any(
        str(font.get_object()["/BaseFont"]).endswith("+WenQuanYiMicroHei-0")
        for font in fonts.values()
    )


def test_the_pdf_download_is_the_owners(client, customer, quoted):
    client.force_login(customer)

    response = client.get(f"/account/quotes/{quoted.reference}/pdf/", secure=True)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- the quote form ---------------------------------------------------------------------------


def form_data(**lines):
    return {
        "rows": "3",
        "contact_name": "Li Wei",
        "email": "li.wei@acme.example",
        "idempotency_key": "t-1",
        "website": "",
        **lines,
    }


def test_bad_rows_get_row_numbered_messages_and_nothing_is_saved(client, db):
    response = client.post(
        "/quote/",
        form_data(
            **{
                "line-0-mpn": "NE555P",
                "line-0-quantity": "1000",
                "line-1-mpn": "LM358",
                "line-1-quantity": "many",
                "line-2-mpn": "TL431",
                "line-2-quantity": "10",
                "line-2-needed_by": "2001-01-01",
            }
        ),
        secure=True,
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: " in html and "Line 3: The needed date is in the past." in html
    assert "Line 1:" not in html
    assert not Inquiry.objects.exists() and not InquiryLine.objects.exists()


def test_the_form_records_the_needed_date_and_target_price(client, db):
    needed = timezone.localdate() + timedelta(days=30)

    client.post(
        "/quote/",
        form_data(
            **{
                "line-0-mpn": "NE555P",
                "line-0-manufacturer": "TI",
                "line-0-quantity": "1000",
                "line-0-target_unit_price": "0.08",
                "line-0-needed_by": needed.isoformat(),
            }
        ),
        secure=True,
    )

    line = InquiryLine.objects.get()
    assert line.needed_by == needed and line.target_unit_price == Decimal("0.08")


def test_the_form_adds_rows_in_the_page_with_a_script(client, db):
    html = client.get("/quote/", secure=True).content.decode()

    assert 'id="add-quote-line"' in html and "js/quote.js" in html


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def test_the_api_lists_and_reads_the_customers_quotes(api, quoted):
    listed = api.get("/api/v1/quotes/").json()
    detail = api.get(f"/api/v1/quotes/{quoted.reference}/").json()

    assert [q["reference"] for q in listed] == [quoted.reference]
    assert detail["lines"][0]["unit_price"] == "0.003000" and detail["lines"][0]["can_buy"]
    assert detail["lines"][0]["quantity"] == 20000


def test_the_api_accepts_lines_once_per_idempotency_key(api, quoted):
    line = quoted.lines.order_by("pk").first()
    url = f"/api/v1/quotes/{quoted.reference}/accept/"

    first = api.post(url, {"lines": [line.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    again = api.post(url, {"lines": [line.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    other = api.post(url, {"lines": [line.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="a-2")

    assert first.status_code == 201 and again.status_code == 200
    assert other.status_code == 400 and "bought once" in other.content.decode()
    assert CartLine.objects.count() == 1


def test_the_api_needs_an_idempotency_key_to_accept(api, quoted):
    line = quoted.lines.first()

    response = api.post(
        f"/api/v1/quotes/{quoted.reference}/accept/", {"lines": [line.pk]}, format="json"
    )

    assert response.status_code == 400 and not CartLine.objects.exists()


def test_the_api_hides_the_answer_of_a_quote_not_sent(api, customer):
    line = InquiryLineFactory(
        inquiry__customer=customer, quoted_unit_price=Decimal("9.99"), quoted_quantity=5
    )

    detail = api.get(f"/api/v1/quotes/{line.inquiry.reference}/").json()

    assert detail["lines"][0]["unit_price"] is None and not detail["can_accept"]
