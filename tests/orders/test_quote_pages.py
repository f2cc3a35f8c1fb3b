"""The quote request form, its thank-you page, and the customer's list of requests."""

import re

import pytest
from django.core import mail

from orders.models import Inquiry, InquiryLine, InquiryStatus
from tests.factories import InquiryFactory, InquiryLineFactory

pytestmark = pytest.mark.django_db


def get(client, url, **kwargs):
    return client.get(url, secure=True, **kwargs)


def post(client, url, data=None):
    return client.post(url, data or {}, secure=True)


def quote_data(**overrides):
    data = {
        "rows": "5",
        "contact_name": "Li Wei",
        "email": "li.wei@acme.example",
        "company": "Acme Robotics",
        "phone": "",
        "note": "",
        "idempotency_key": "token-1",
        "website": "",
        "line-0-mpn": "RC0603FR-0710KL",
        "line-0-manufacturer": "YAGEO",
        "line-0-quantity": "250000",
        "line-0-target_unit_price": "0.003",
    }
    data.update(overrides)
    return data


def field_value(html, name):
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else None


# --- the form ---------------------------------------------------------------------------------


def test_quote_link_from_a_part_page_fills_in_the_part_and_quantity(client, resistor):
    html = get(client, f"/quote/?part={resistor.pk}&qty=250000").content.decode()

    assert field_value(html, "line-0-mpn") == "RC0603FR-0710KL"
    assert field_value(html, "line-0-manufacturer") == "YAGEO"
    assert field_value(html, "line-0-quantity") == "250000"
    assert field_value(html, "line-0-part") == str(resistor.pk)


def test_quote_link_by_store_code_without_quantity_starts_at_the_moq(client, resistor):
    html = get(client, f"/quote/?part={resistor.sku.lower()}").content.decode()

    assert field_value(html, "line-0-mpn") == "RC0603FR-0710KL"
    assert field_value(html, "line-0-quantity") == "10"


def test_quote_form_with_an_unknown_part_is_an_empty_form(client, db):
    response = get(client, "/quote/?part=P9999999&qty=x")

    assert response.status_code == 200
    assert field_value(response.content.decode(), "line-0-mpn") is None


def test_signed_in_customer_finds_their_contact_filled_in(client, customer):
    customer.profile.company_name = "Acme Robotics"
    customer.profile.save()
    client.force_login(customer)

    html = get(client, "/quote/").content.decode()

    assert field_value(html, "contact_name") == "Ada Lovelace"
    assert field_value(html, "email") == "buyer@example.com"
    assert field_value(html, "company") == "Acme Robotics"


def test_quote_form_can_start_from_the_cart(client, resistor):
    post(client, "/cart/add/", {"part": resistor.pk, "quantity": "150"})

    html = get(client, "/quote/?from=cart").content.decode()

    assert field_value(html, "line-0-mpn") == "RC0603FR-0710KL"
    assert field_value(html, "line-0-quantity") == "150"


def test_quote_pages_are_noindex_and_kept_out_of_robots_txt(client, db):
    html = get(client, "/quote/").content.decode()

    assert '<meta name="robots" content="noindex' in html
    assert "Disallow: /quote/" in get(client, "/robots.txt").content.decode()


def test_more_lines_keeps_what_was_typed_and_adds_rows(client, db):
    response = post(client, "/quote/", quote_data(more_rows="1"))

    html = response.content.decode()
    assert field_value(html, "line-0-mpn") == "RC0603FR-0710KL"
    assert field_value(html, "rows") == "10"
    assert not Inquiry.objects.exists()


# --- sending ----------------------------------------------------------------------------------


def test_sending_the_form_shows_the_reference_and_tells_staff(
    client, resistor, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/quote/", quote_data())

    assert response.status_code == 302 and response["Location"] == "/quote/sent/"
    inquiry = Inquiry.objects.get()
    line = inquiry.lines.get()
    assert (line.part, line.quantity) == (resistor, 250000)
    assert str(line.target_unit_price) == "0.003000"
    html = get(client, "/quote/sent/").content.decode()
    assert inquiry.reference in html and "li.wei@acme.example" in html
    assert [message.to for message in mail.outbox] == [["sales@partline.example"]]


def test_a_double_click_sends_one_request(client, db):
    post(client, "/quote/", quote_data())
    post(client, "/quote/", quote_data())

    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {
                "line-0-mpn": "",
                "line-0-manufacturer": "",
                "line-0-quantity": "",
                "line-0-target_unit_price": "",
            },
            "Add at least one part number with a quantity.",
        ),
        ({"email": "li.wei@"}, "Enter a valid email address, e.g. name@company.com."),
        ({"line-0-quantity": "-5"}, "The quantity must be at least 1."),
        ({"line-0-quantity": "many"}, "Enter the quantity as a whole number of pieces"),
        ({"line-0-mpn": ""}, "Enter the part number."),
        ({"line-0-target_unit_price": "cheap"}, "Enter the target price as a number"),
    ],
)
def test_bad_input_is_shown_again_with_why_and_nothing_written(
    client, staff, overrides, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/quote/", quote_data(**overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Inquiry.objects.exists() and not InquiryLine.objects.exists()
    assert mail.outbox == []


def test_only_the_row_with_a_mistake_shows_an_error(client, db):
    html = post(client, "/quote/", quote_data(**{"line-0-quantity": "-5"})).content.decode()

    assert html.count('<div class="errors" role="alert">') == 1
    assert field_value(html, "line-0-quantity") == "-5"


def test_a_filled_honeypot_writes_nothing(client, db):
    post(client, "/quote/", quote_data(website="http://spam.example"))

    assert not Inquiry.objects.exists()


def test_thank_you_page_without_a_request_sends_to_the_form(client, db):
    assert get(client, "/quote/sent/")["Location"] == "/quote/"


def test_a_signed_in_customers_request_is_theirs(client, customer):
    client.force_login(customer)

    post(client, "/quote/", quote_data())

    assert Inquiry.objects.get().customer == customer


# --- the customer's requests ------------------------------------------------------------------


def test_account_lists_the_customers_own_requests(client, customer, other_customer):
    mine = InquiryLineFactory(inquiry=InquiryFactory(customer=customer)).inquiry
    theirs = InquiryFactory(customer=other_customer)
    client.force_login(customer)

    html = get(client, "/account/quotes/").content.decode()

    assert mine.reference in html and theirs.reference not in html
    assert '<meta name="robots" content="noindex' in html


def test_a_quoted_request_shows_the_quote(client, customer):
    from datetime import date, timedelta
    from decimal import Decimal

    inquiry = InquiryFactory(customer=customer, status=InquiryStatus.QUOTED, reply="Valid 14 days.")
    InquiryLineFactory(
        inquiry=inquiry,
        mpn="NE555P",
        quoted_unit_price=Decimal("0.085"),
        quoted_quantity=5000,
        valid_until=date.today() + timedelta(days=14),
    )
    client.force_login(customer)

    html = get(client, f"/account/quotes/{inquiry.reference}/").content.decode()

    assert "NE555P" in html and "0.085" in html and "Valid 14 days." in html


def test_another_customers_request_is_404(client, customer, other_customer):
    theirs = InquiryFactory(customer=other_customer)
    client.force_login(customer)

    assert get(client, f"/account/quotes/{theirs.reference}/").status_code == 404


def test_requests_page_needs_signing_in(client, db):
    response = get(client, "/account/quotes/")

    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_account_menu_leads_to_the_quote_requests(client, customer):
    client.force_login(customer)

    html = get(client, "/account/").content.decode()

    assert 'href="/account/quotes/"' in html
