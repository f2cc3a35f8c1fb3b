"""Staff in the admin: look at carts, answer quote requests."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from orders.models import InquiryStatus
from tests.factories import CartLineFactory, InquiryFactory, InquiryLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(customer):
    inquiry = InquiryFactory(customer=customer, email="li.wei@acme.example")
    InquiryLineFactory(inquiry=inquiry, mpn="NE555P", quantity=10000)
    return inquiry


def change_form(inquiry, **fields):
    line = inquiry.lines.get()
    data = {
        "reply": "",
        "next_status": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-id": str(line.pk),
        "lines-0-inquiry": str(inquiry.pk),
        "lines-0-part": "",
        "lines-0-quoted_unit_price": "",
        "lines-0-quoted_quantity": "",
        "lines-0-lead_days": "",
        "lines-0-valid_until": "",
        "lines-0-alternate_part": "",
    }
    data.update(fields)
    return data


def test_cart_pages_render_read_only(admin_client, resistor):
    line = CartLineFactory(part=resistor)

    assert admin_client.get(reverse("admin:orders_cart_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:orders_cart_change", args=[line.cart.pk]))
    assert page.status_code == 200 and "RC0603FR-0710KL" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_inquiries_are_found_by_mpn_and_filtered_by_status(admin_client, inquiry):
    InquiryFactory(status=InquiryStatus.CLOSED)
    url = reverse("admin:orders_inquiry_changelist")

    by_mpn = admin_client.get(url, {"q": "ne555"}).content.decode()
    new = admin_client.get(url, {"status__exact": "new"}).content.decode()

    assert inquiry.reference in by_mpn
    assert inquiry.reference in new and "RFQ-" in new
    assert admin_client.get(url, {"q": inquiry.email}).status_code == 200


def test_staff_record_a_quote_and_send_it(
    admin_client, admin_user, inquiry, resistor, django_capture_on_commit_callbacks
):
    url = reverse("admin:orders_inquiry_change", args=[inquiry.pk])
    assert "Send the quote to the customer" in admin_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            change_form(
                inquiry,
                reply="Valid 14 days; ships in 5 days.",
                next_status="quoted",
                **{
                    "lines-0-part": str(resistor.pk),
                    "lines-0-quoted_unit_price": "0.085",
                    "lines-0-quoted_quantity": "10000",
                    "lines-0-lead_days": "5",
                    "lines-0-valid_until": str(date.today() + timedelta(days=14)),
                },
            ),
        )

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED and inquiry.quoted_by == admin_user
    assert inquiry.lines.get().quoted_unit_price == Decimal("0.085")
    assert mail.outbox[0].to == ["li.wei@acme.example"]
    assert "0.085 CNY per piece" in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


def test_sending_an_unanswered_quote_is_refused_with_the_line(admin_client, inquiry):
    url = reverse("admin:orders_inquiry_change", args=[inquiry.pk])

    response = admin_client.post(url, change_form(inquiry, next_status="quoted"), follow=True)

    assert "Line 1 (NE555P): give a unit price" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


def test_a_price_without_quantity_or_validity_is_refused_on_the_line(admin_client, inquiry):
    url = reverse("admin:orders_inquiry_change", args=[inquiry.pk])

    response = admin_client.post(
        url, change_form(inquiry, **{"lines-0-quoted_unit_price": "0.085"})
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the quantity the price is for." in html
    assert "Give the last day the price is valid." in html
    assert inquiry.lines.get().quoted_unit_price is None


def test_saving_prices_without_sending_marks_the_inquiry_quoting(admin_client, inquiry):
    url = reverse("admin:orders_inquiry_change", args=[inquiry.pk])

    admin_client.post(url, change_form(inquiry, **{"lines-0-cannot_offer": "on"}))

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTING and inquiry.lines.get().cannot_offer


def test_staff_close_inquiries_from_the_list(admin_client, inquiry):
    admin_client.post(
        reverse("admin:orders_inquiry_changelist"),
        {"action": "close_inquiries", "_selected_action": [inquiry.pk]},
    )

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.closed_at is not None
