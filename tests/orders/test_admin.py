"""Staff in the admin: look at carts, answer quote requests."""

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
    admin_client, admin_user, inquiry, django_capture_on_commit_callbacks
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
                **{"lines-0-quoted_unit_price": "0.085"},
            ),
        )

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED and inquiry.quoted_by == admin_user
    assert inquiry.lines.get().quoted_unit_price == Decimal("0.085")
    assert mail.outbox[0].to == ["li.wei@acme.example"]
    assert "0.085 CNY per piece" in mail.outbox[0].body


def test_sending_an_empty_quote_is_refused_on_the_form(admin_client, inquiry):
    url = reverse("admin:orders_inquiry_change", args=[inquiry.pk])

    response = admin_client.post(url, change_form(inquiry, next_status="quoted"))

    assert response.status_code == 200
    assert "Write the quote before sending it." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


def test_staff_close_inquiries_from_the_list(admin_client, inquiry):
    admin_client.post(
        reverse("admin:orders_inquiry_changelist"),
        {"action": "close_inquiries", "_selected_action": [inquiry.pk]},
    )

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.closed_at is not None
