"""Quotes customers can buy: staff answer per line, the customer takes quoted lines into the
cart at the quoted price and quantity, orders each once, or declines; quotes expire."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers.models import Notification, NotificationKind
from orders.cart.services import CartOwner, cart_price, cart_set_quantity
from orders.errors import CartNotOrderable, IdempotencyConflict
from orders.models import Cart, CartLine, InquiryStatus, Order
from orders.rfq import services
from orders.vat import vat_of
from tests.customers.factories import AddressFactory
from tests.factories import InquiryFactory, InquiryLineFactory, PartFactory, ShippingMethodFactory
from tests.orders.checkout_helpers import choices, fill_cart, place, quote
from tests.orders.quote_helpers import quoted_inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def method(db):
    return ShippingMethodFactory()


def accept(customer, inquiry, *lines, key=""):
    return services.quote_accept(
        customer=customer,
        reference=inquiry.reference,
        line_ids=[line.pk for line in lines],
        idempotency_key=key,
    )


# --- buying a quote ---------------------------------------------------------------------------


def test_the_order_charges_the_quoted_price_and_records_the_quote_line(
    customer, resistor, address, method
):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    line = inquiry.lines.get()
    accept(customer, inquiry, line)

    order = place(customer, choices(address, method))

    sold = order.lines.get()
    assert sold.unit_price == Decimal("0.0030") and sold.quantity == 20000
    assert sold.line_total == Decimal("60.00") and sold.vat == vat_of(Decimal("60.00"))
    assert sold.quote_line == line
    assert order.subtotal == Decimal("60.00")


def test_the_cart_shows_the_quoted_price_not_the_list_price(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    accept(customer, inquiry, inquiry.lines.get())

    priced = cart_price(cart=Cart.objects.get(customer=customer))

    line = priced.lines[0]
    assert line.unit_price == Decimal("0.0030") and line.quote_line.inquiry == inquiry
    assert line.choices == () and line.reel_split is None and line.break_hint is None


def test_a_quoted_line_sits_beside_the_same_part_at_list_price(customer, resistor):
    fill_cart(customer, (resistor, 100))
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    accept(customer, inquiry, inquiry.lines.get())

    prices = sorted(line.unit_price for line in cart_price(cart=Cart.objects.get()).lines)

    assert prices == [Decimal("0.0030"), Decimal("0.0061")]


def test_the_quoted_quantity_cannot_be_changed(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    (cart_line,) = accept(customer, inquiry, inquiry.lines.get())

    with pytest.raises(ValidationError, match="for exactly 20,000 pieces"):
        cart_set_quantity(owner=CartOwner(customer=customer), line_id=cart_line.pk, quantity=30000)

    assert CartLine.objects.get(pk=cart_line.pk).quantity == 20000


def test_a_quoted_line_can_be_taken_out_of_the_cart(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    (cart_line,) = accept(customer, inquiry, inquiry.lines.get())

    cart_set_quantity(owner=CartOwner(customer=customer), line_id=cart_line.pk, quantity=0)

    assert not CartLine.objects.exists()


def test_accepting_marks_the_inquiry_accepted(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))

    accept(customer, inquiry, inquiry.lines.get())

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ACCEPTED


# --- bought once ------------------------------------------------------------------------------


def test_a_quote_line_cannot_be_accepted_twice(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    line = inquiry.lines.get()
    accept(customer, inquiry, line)

    with pytest.raises(ValidationError, match="already accepted; it is bought once"):
        accept(customer, inquiry, line)

    assert CartLine.objects.count() == 1


def test_the_same_acceptance_repeated_returns_the_first_cart_line(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    line = inquiry.lines.get()
    first = accept(customer, inquiry, line, key="k-1")

    again = accept(customer, inquiry, line, key="k-1")

    assert [c.pk for c in again] == [c.pk for c in first] and CartLine.objects.count() == 1


def test_the_same_acceptance_key_for_other_lines_is_a_conflict(customer, resistor):
    part = PartFactory()
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"), (part, 100, "1.00"))
    first, second = inquiry.lines.order_by("pk")
    accept(customer, inquiry, first, key="k-1")

    with pytest.raises(IdempotencyConflict):
        accept(customer, inquiry, second, key="k-1")


def test_an_ordered_quote_line_cannot_be_accepted_again(customer, resistor, address, method):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    line = inquiry.lines.get()
    accept(customer, inquiry, line)
    place(customer, choices(address, method))

    with pytest.raises(ValidationError, match="it is bought once"):
        accept(customer, inquiry, line)


def test_ordering_a_quote_line_already_ordered_is_refused_under_the_lock(
    customer, resistor, address, method
):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    line = inquiry.lines.get()
    accept(customer, inquiry, line)
    place(customer, choices(address, method))
    # A second cart line of the same quote line, as a concurrent session might have left.
    cart = Cart.objects.create(customer=customer)
    CartLine.objects.filter(quote_line=line).update(cart=cart)

    with pytest.raises(CartNotOrderable, match="already ordered"):
        services.quote_lines_lock_for_order(customer=customer, quote_line_ids=[line.pk])


def test_another_customers_quote_cannot_be_accepted(customer, other_customer, resistor):
    inquiry = quoted_inquiry(other_customer, (resistor, 20000, "0.0030"))

    with pytest.raises(inquiry.DoesNotExist):
        accept(customer, inquiry, inquiry.lines.get())
    assert not CartLine.objects.exists()


# --- expiry -----------------------------------------------------------------------------------


def test_quotes_past_their_validity_expire_once(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030", 2))
    later = timezone.localdate() + timedelta(days=3)

    assert services.quotes_expire(today=later) == 1
    assert services.quotes_expire(today=later) == 0

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.EXPIRED and inquiry.expired_at is not None


def test_a_quote_with_a_line_still_valid_does_not_expire(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030", 2), (PartFactory(), 10, "1", 9))

    assert services.quotes_expire(today=timezone.localdate() + timedelta(days=3)) == 0
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED


def test_an_expired_quote_line_cannot_be_accepted(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030", -1))

    with pytest.raises(ValidationError, match="ask us again"):
        accept(customer, inquiry, inquiry.lines.get())


def test_an_expired_quote_in_the_cart_cannot_be_ordered_and_says_so(
    customer, resistor, address, method
):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    accept(customer, inquiry, inquiry.lines.get())
    inquiry.lines.update(valid_until=timezone.localdate() - timedelta(days=1))

    review = quote(customer, choices(address, method))

    assert not review.can_place
    assert any("can no longer be ordered" in problem for problem in review.problems)
    with pytest.raises(CartNotOrderable):
        place(customer, choices(address, method))
    assert not Order.objects.exists()


def test_asking_again_prefills_the_lines_of_the_quote(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030", -1))

    rows = services.ask_again_lines(inquiry)

    assert rows[0]["mpn"] == resistor.mpn and rows[0]["quantity"] == 20000
    assert rows[0]["part"] == resistor.pk


# --- decline and cannot offer ---------------------------------------------------------------


def test_the_customer_declines_a_quote_and_it_cannot_be_bought(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))

    services.quote_decline(customer=customer, reference=inquiry.reference)

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECLINED and inquiry.declined_at is not None
    with pytest.raises(ValidationError, match="is declined"):
        accept(customer, inquiry, inquiry.lines.get())


def test_an_accepted_quote_cannot_be_declined(customer, resistor):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"))
    accept(customer, inquiry, inquiry.lines.get())

    with pytest.raises(ValidationError, match="not accepted yet"):
        services.quote_decline(customer=customer, reference=inquiry.reference)


def test_a_line_we_cannot_offer_is_sent_with_its_alternate_and_cannot_be_bought(
    customer, resistor, staff
):
    alternate = PartFactory(mpn="NE555DR")
    inquiry = InquiryFactory(customer=customer)
    line = InquiryLineFactory(
        inquiry=inquiry, mpn="NE555P", cannot_offer=True, alternate_part=alternate
    )

    services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.QUOTED, actor=staff)

    with pytest.raises(ValidationError, match="we could not offer this line"):
        accept(customer, inquiry, line)
    message = Notification.objects.get(kind=NotificationKind.QUOTE_ANSWERED)
    assert "we cannot offer this part" in message.body_text and "NE555DR" in message.body_text


# --- telling the customer ---------------------------------------------------------------------


def test_sending_the_quote_tells_the_customer_the_lines_and_validity(customer, resistor, staff):
    inquiry = quoted_inquiry(customer, (resistor, 20000, "0.0030"), status=InquiryStatus.QUOTING)
    valid = inquiry.lines.get().valid_until

    services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.QUOTED, actor=staff)

    message = Notification.objects.get(customer=customer, kind=NotificationKind.QUOTE_ANSWERED)
    assert message.dedup_key == f"quote:{inquiry.pk}:sent"
    assert "20,000 pcs at 0.003 CNY" in message.body_text
    assert f"valid until {valid:%Y-%m-%d}" in message.body_text
    assert message.link == f"/account/quotes/{inquiry.reference}/"


def test_a_price_for_a_line_without_a_catalog_part_cannot_be_sent(customer, staff):
    inquiry = InquiryFactory(customer=customer)
    InquiryLineFactory(
        inquiry=inquiry,
        mpn="UNKNOWN-1",
        quoted_unit_price=Decimal("1.00"),
        quoted_quantity=10,
        valid_until=timezone.localdate() + timedelta(days=5),
    )

    with pytest.raises(ValidationError, match="link the catalog part"):
        services.inquiry_transition(inquiry_id=inquiry.pk, to=InquiryStatus.QUOTED, actor=staff)
