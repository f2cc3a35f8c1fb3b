"""Quote requests: what a customer sends, what staff are told, how staff answer."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from orders.errors import InvalidTransition
from orders.models import Inquiry, InquiryLine, InquiryStatus
from orders.rfq import services
from orders.rfq.services import InquiryLineInput
from tests.factories import InquiryFactory, InquiryLineFactory, PartFactory

pytestmark = pytest.mark.django_db


def submit(lines=None, **fields):
    data = {
        "contact_name": "Li Wei",
        "email": "li.wei@acme.example",
        "company": "Acme Robotics",
        "lines": [InquiryLineInput(mpn="RC0603FR-0710KL", quantity="250000")]
        if lines is None
        else lines,
        **fields,
    }
    return services.inquiry_submit(**data)


def refused(**kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        submit(**kwargs)
    assert not Inquiry.objects.exists() and not InquiryLine.objects.exists()
    return caught.value.message_dict


def test_a_quote_request_keeps_what_was_typed(resistor):
    inquiry = submit(
        lines=[
            InquiryLineInput(
                mpn=" RC0603FR-0710KL ",
                manufacturer="Yageo",
                quantity="250000",
                target_unit_price="0.0030",
            ),
            InquiryLineInput(mpn="TPS7A0233DBVR", quantity=3000),
        ],
        note="Delivery in two lots.",
    )

    assert inquiry.reference.startswith("RFQ-") and inquiry.status == InquiryStatus.NEW
    lines = list(inquiry.lines.order_by("pk"))
    assert [(line.mpn, line.manufacturer, line.quantity) for line in lines] == [
        ("RC0603FR-0710KL", "Yageo", 250000),
        ("TPS7A0233DBVR", "", 3000),
    ]
    assert lines[0].target_unit_price == Decimal("0.0030")
    assert inquiry.note == "Delivery in two lots."


def test_a_line_is_linked_to_the_part_its_mpn_names(resistor):
    inquiry = submit(lines=[InquiryLineInput(mpn="rc0603fr0710kl", quantity=500)])

    line = inquiry.lines.get()
    assert line.part == resistor and line.manufacturer == "YAGEO"


def test_an_mpn_two_manufacturers_make_is_linked_by_the_typed_manufacturer(resistor):
    PartFactory(mpn="RC0603FR-0710KL")

    unsure = submit(lines=[InquiryLineInput(mpn="RC0603FR-0710KL", quantity=500)])
    named = submit(
        lines=[InquiryLineInput(mpn="RC0603FR-0710KL", manufacturer="yageo", quantity=500)]
    )

    assert unsure.lines.get().part is None
    assert named.lines.get().part == resistor


def test_a_signed_in_customer_owns_the_inquiry(resistor, customer):
    assert submit(customer=customer).customer == customer


def test_no_lines_is_refused_and_nothing_written(db):
    errors = refused(lines=[])

    assert errors["lines"] == ["Add at least one part number with a quantity."]


def test_bad_email_is_refused_and_nothing_written(db):
    errors = refused(email="li.wei@")

    assert errors["email"] == ["Enter a valid email address, e.g. name@company.com."]


def test_negative_quantity_is_refused_and_nothing_written(db):
    errors = refused(
        lines=[
            InquiryLineInput(mpn="NE555P", quantity=100),
            InquiryLineInput(mpn="LM358DR", quantity="-5"),
        ]
    )

    assert errors["lines"] == ["Line 2: the quantity must be at least 1."]


def test_each_bad_line_says_what_to_fix(db):
    errors = refused(
        lines=[
            InquiryLineInput(mpn="", quantity="lots"),
            InquiryLineInput(mpn="NE555P", quantity=100, target_unit_price="0.1234567"),
        ]
    )

    assert errors["lines"] == [
        "Line 1: enter the part number (MPN).",
        "Line 1: enter the quantity as a whole number of pieces, e.g. 100, 1,000 or 2.5k.",
        "Line 2: give the target price with at most 6 decimals.",
    ]


def test_missing_name_is_refused(db):
    assert refused(contact_name="  ")["contact_name"] == ["Tell us whom to address the quote to."]


def test_the_same_form_token_records_one_inquiry(db):
    first = submit(idempotency_key="form-token-1", visitor_key="visitor-a")
    again = submit(idempotency_key="form-token-1", visitor_key="visitor-a")

    assert again.pk == first.pk and Inquiry.objects.count() == 1


def test_another_visitors_form_token_never_returns_their_inquiry(db):
    theirs = submit(idempotency_key="form-token-1", visitor_key="visitor-a", note="secret")

    mine = submit(idempotency_key="form-token-1", visitor_key="visitor-b")

    assert mine.pk != theirs.pk and mine.note == ""
    assert Inquiry.objects.count() == 2


def test_another_customers_form_token_never_returns_their_inquiry(customer, other_customer):
    theirs = submit(idempotency_key="form-token-1", customer=other_customer)

    mine = submit(idempotency_key="form-token-1", customer=customer)

    assert mine.pk != theirs.pk and mine.customer == customer


def test_staff_are_emailed_once_the_inquiry_is_saved(
    resistor, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        inquiry = submit(note="Need them by March.")
    assert len(callbacks) == 1 and mail.outbox == []

    callbacks[0]()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sales@partline.example"]
    assert inquiry.reference in message.subject
    assert "250,000 × RC0603FR-0710KL" in message.body
    assert "Need them by March." in message.body
    assert f"/admin/orders/inquiry/{inquiry.pk}/change/" in message.body


def test_staff_notification_goes_out_once_even_if_the_task_runs_twice(staff):
    from orders.rfq.tasks import inquiry_notify_staff

    inquiry = InquiryLineFactory().inquiry

    assert inquiry_notify_staff(inquiry_id=inquiry.pk) is True
    assert inquiry_notify_staff(inquiry_id=inquiry.pk) is False
    assert len(mail.outbox) == 1


def test_managers_setting_names_who_is_told(settings, db):
    settings.MANAGERS = [("Sales", "rfq@partline.example")]
    inquiry = InquiryLineFactory().inquiry

    services.inquiry_notify_staff_send(inquiry_id=inquiry.pk)

    assert mail.outbox[0].to == ["rfq@partline.example"]


# --- answering ------------------------------------------------------------------------------


def test_sending_a_quote_marks_it_quoted_and_emails_the_customer(
    staff, django_capture_on_commit_callbacks
):
    line = InquiryLineFactory(
        mpn="NE555P",
        quantity=10000,
        part=PartFactory(mpn="NE555P"),
        quoted_unit_price=Decimal("0.085"),
        quoted_quantity=10000,
        valid_until=timezone.localdate() + timedelta(days=14),
    )
    inquiry = line.inquiry
    inquiry.reply = "Valid 14 days. Ships in 5 days."
    inquiry.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.QUOTED, actor=staff)

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED
    assert inquiry.quoted_by == staff and inquiry.quoted_at is not None
    assert mail.outbox[0].to == [inquiry.email]
    assert "10,000 × NE555P" in mail.outbox[0].body and "0.085 CNY" in mail.outbox[0].body
    assert "Valid 14 days." in mail.outbox[0].body


def test_a_quote_cannot_be_sent_with_a_line_unanswered(db):
    inquiry = InquiryFactory()
    InquiryLineFactory(inquiry=inquiry, mpn="NE555P")

    with pytest.raises(ValidationError, match="Line 1 \\(NE555P\\): give a unit price"):
        services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.QUOTED)

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


def test_a_closed_inquiry_cannot_be_quoted_until_reopened(db):
    inquiry = InquiryFactory(reply="Price on request.")
    services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.CLOSED)

    with pytest.raises(InvalidTransition, match="is closed; it cannot become quoted"):
        services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.QUOTED)
    services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.NEW)

    assert Inquiry.objects.get().status == InquiryStatus.NEW
