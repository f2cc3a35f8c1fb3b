"""Returns and complaints: the window, quantities, non-returnable supplier pieces, each staff
step, refunds to the cent, replacement orders and returned pieces in quarantine."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Stock
from customers.models import CustomerProfile, Notification, NotificationKind
from orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Refund,
    RefundDestination,
    RefundStatus,
    ReturnEvent,
    ReturnEventKind,
    ReturnRequest,
    ReturnResolution,
)
from orders.returns import services
from orders.returns.errors import InvalidReturnStep, ReturnNotAllowed
from orders.returns.status import ReturnStatus
from tests.catalog.factories_admin import SupplierOfferFactory
from tests.orders.payments_helpers import place_order
from tests.orders.returns_helpers import (
    deliver,
    delivered_order,
    lab_report,
    open_return,
    photo,
)
from tests.orders.test_payments_services import pay_online

pytestmark = pytest.mark.django_db


def balance_of(customer) -> Decimal:
    return CustomerProfile.objects.get(user=customer).balance


@pytest.fixture
def order(customer, resistor):
    """150 resistors, 14.60 incl. shipping; the line's gross is 1.04 (0.92 + 0.12 VAT)."""
    return delivered_order(customer, resistor)


@pytest.fixture
def line(order):
    return order.lines.get()


def accepted(rma, staff):
    return services.return_accept(return_id=rma.pk, staff=staff, message="Send them back.")


# --- opening: window, state, quantities -----------------------------------------------------------


def test_a_customer_opens_a_return_on_a_delivered_line(customer, order, line):
    rma = open_return(customer, order, quantity=20, photos=[photo()])

    assert rma.status == ReturnStatus.OPEN
    assert (rma.line, rma.quantity, rma.reason) == (line, 20, "bent_pins")
    assert rma.reference.startswith("RA-")
    assert rma.photos.count() == 1
    assert rma.events.get().kind == ReturnEventKind.OPENED


def test_opening_tells_the_customer_once_with_a_link_to_the_return(customer, order):
    rma = open_return(customer, order)

    message = Notification.objects.get(customer=customer, kind=NotificationKind.RETURN_UPDATED)
    assert rma.reference in message.subject
    assert message.link == f"/account/returns/{rma.reference}/"


def test_the_same_form_submitted_twice_opens_one_return(customer, order):
    first = open_return(customer, order, key="rma-form")
    again = open_return(customer, order, key="rma-form")

    assert again.pk == first.pk
    assert ReturnRequest.objects.count() == 1


def test_an_order_not_delivered_yet_cannot_have_a_return(customer, resistor):
    order = place_order(customer, resistor)

    with pytest.raises(ReturnNotAllowed, match="once it is delivered"):
        open_return(customer, order)
    assert not ReturnRequest.objects.exists()


def test_a_return_is_refused_after_the_window_from_delivery(customer, order, settings):
    delivered = OrderEvent.objects.get(order=order, to_status=OrderStatus.DELIVERED)
    OrderEvent.objects.filter(pk=delivered.pk).update(
        created_at=timezone.now() - timedelta(days=settings.RETURNS_WINDOW_DAYS, hours=1)
    )

    with pytest.raises(ReturnNotAllowed, match="within 30 days of delivery"):
        open_return(customer, order)
    assert not ReturnRequest.objects.exists()


def test_a_return_is_accepted_on_the_last_day_of_the_window(customer, order, settings):
    OrderEvent.objects.filter(order=order, to_status=OrderStatus.DELIVERED).update(
        created_at=timezone.now() - timedelta(days=settings.RETURNS_WINDOW_DAYS, hours=-1)
    )

    assert open_return(customer, order).status == ReturnStatus.OPEN


def test_the_window_is_counted_from_delivery_not_from_the_order(customer, order):
    Order.objects.filter(pk=order.pk).update(placed_at=timezone.now() - timedelta(days=90))

    assert open_return(customer, order).status == ReturnStatus.OPEN


def test_more_pieces_than_were_delivered_are_refused(customer, order):
    with pytest.raises(ValidationError) as refused:
        open_return(customer, order, quantity=151)

    assert "At most 150 pieces" in refused.value.message_dict["quantity"][0]
    assert not ReturnRequest.objects.exists()


def test_two_returns_together_cannot_exceed_what_was_delivered(customer, order):
    open_return(customer, order, quantity=100, key="rma-1")

    with pytest.raises(ValidationError) as refused:
        open_return(customer, order, quantity=60, key="rma-2")

    assert "At most 50 pieces" in refused.value.message_dict["quantity"][0]
    assert ReturnRequest.objects.count() == 1


def test_a_line_fully_in_returns_says_so(customer, order):
    open_return(customer, order, quantity=150, key="rma-1")

    with pytest.raises(ReturnNotAllowed, match="already in a return"):
        open_return(customer, order, quantity=1, key="rma-2")


def test_pieces_of_a_rejected_return_can_be_returned_again(customer, order, staff):
    first = open_return(customer, order, quantity=150, key="rma-1")
    services.return_reject(return_id=first.pk, staff=staff, message="Pins were fine.")

    assert open_return(customer, order, quantity=150, key="rma-2").status == ReturnStatus.OPEN


def test_another_customers_line_does_not_exist_for_them(order, other_customer):
    with pytest.raises(OrderLine.DoesNotExist):
        open_return(other_customer, order)


def test_zero_pieces_and_no_description_are_refused_with_messages(customer, order, line):
    with pytest.raises(ValidationError) as zero:
        open_return(customer, order, quantity=0)
    with pytest.raises(ValidationError) as empty:
        services.return_open(
            customer=customer, line_id=line.pk, kind="return", reason="other", quantity=1,
            description="   ", idempotency_key="k",
        )

    assert zero.value.message_dict["quantity"] == ["Enter at least 1 piece."]
    assert "description" in empty.value.message_dict
    assert not ReturnRequest.objects.exists()


def test_an_unknown_reason_is_refused(customer, order):
    with pytest.raises(ValidationError) as refused:
        open_return(customer, order, reason="changed_my_mind")

    assert refused.value.message_dict["reason"] == ["Choose a reason from the list."]


# --- non-returnable supplier pieces -------------------------------------------------------------


@pytest.fixture
def supplier_order(customer, resistor):
    """200 resistors of which 100 came from a supplier who takes nothing back."""
    offer = SupplierOfferFactory(part=resistor, quantity=5000, lead_days=7, returnable=False)
    Stock.objects.filter(part=resistor).update(on_hand=2100, reserved=2000)
    order = delivered_order(customer, resistor, quantity=200)
    line = order.lines.get()
    assert (line.from_stock, line.from_suppliers, line.supplies.get().offer) == (100, 100, offer)
    return order


def test_non_returnable_supplier_pieces_are_refused_with_a_message(customer, supplier_order):
    with pytest.raises(ReturnNotAllowed) as refused:
        open_return(customer, supplier_order, quantity=150)

    assert "bought on lead time from a supplier who takes nothing back" in str(refused.value)
    assert "at most 100 pieces" in str(refused.value)
    assert not ReturnRequest.objects.exists()


def test_the_returnable_pieces_of_a_partly_supplied_line_can_be_returned(
    customer, supplier_order
):
    assert open_return(customer, supplier_order, quantity=100).quantity == 100


def test_a_complaint_about_faulty_non_returnable_pieces_can_be_opened(customer, supplier_order):
    rma = open_return(
        customer, supplier_order, quantity=200, kind="complaint", reason="counterfeit"
    )

    assert rma.kind == "complaint"


# --- staff steps ----------------------------------------------------------------------------------


def test_staff_accept_a_return_and_the_customer_is_told(customer, order, staff):
    rma = open_return(customer, order)

    accepted(rma, staff)

    rma.refresh_from_db()
    event = rma.events.get(kind=ReturnEventKind.STATUS)
    assert rma.status == ReturnStatus.ACCEPTED
    assert (event.actor, event.actor_label, event.message) == (staff, "staff", "Send them back.")
    assert Notification.objects.filter(dedup_key=f"return:{rma.pk}:{event.pk}").exists()


def test_asking_for_information_needs_a_question(customer, order, staff):
    rma = open_return(customer, order)

    with pytest.raises(ValidationError):
        services.return_request_info(return_id=rma.pk, staff=staff, message=" ")

    rma.refresh_from_db()
    assert rma.status == ReturnStatus.OPEN


def test_the_customers_answer_moves_the_return_back_to_review(customer, order, staff):
    rma = open_return(customer, order)
    services.return_request_info(return_id=rma.pk, staff=staff, message="Which reel label?")

    services.return_message_add(return_id=rma.pk, author=customer, message="Label 22-0457.")

    rma.refresh_from_db()
    answer = rma.events.order_by("pk").last()
    assert rma.status == ReturnStatus.OPEN
    assert (answer.actor_label, answer.message) == ("customer", "Label 22-0457.")


def test_another_customer_cannot_write_on_a_return(customer, order, other_customer):
    rma = open_return(customer, order)

    with pytest.raises(ReturnRequest.DoesNotExist):
        services.return_message_add(return_id=rma.pk, author=other_customer, message="Hi")
    assert rma.events.count() == 1


def test_a_lab_test_ends_with_the_report_attached(customer, order, staff):
    rma = open_return(customer, order, reason="counterfeit")
    services.return_send_to_lab(return_id=rma.pk, staff=staff, message="X-ray and decap.")

    event = services.return_lab_report_attach(return_id=rma.pk, staff=staff, report=lab_report())

    rma.refresh_from_db()
    assert rma.status == ReturnStatus.LAB_TEST
    assert event.kind == ReturnEventKind.LAB_REPORT
    assert event.attachment.read().startswith(b"%PDF-")
    assert event.attachment.name.startswith("returns/reports/")


def test_a_lab_report_that_is_not_a_pdf_is_refused(customer, order, staff):
    rma = open_return(customer, order)
    services.return_send_to_lab(return_id=rma.pk, staff=staff)

    with pytest.raises(ValidationError) as refused:
        services.return_lab_report_attach(
            return_id=rma.pk, staff=staff, report=photo("report.pdf")
        )

    assert refused.value.message_dict["report"] == ["The report must be a PDF file."]
    assert not rma.events.filter(kind=ReturnEventKind.LAB_REPORT).exists()


def test_a_lab_report_needs_a_lab_test_first(customer, order, staff):
    rma = open_return(customer, order)

    with pytest.raises(InvalidReturnStep, match="not at a lab"):
        services.return_lab_report_attach(return_id=rma.pk, staff=staff, report=lab_report())


def test_asking_the_manufacturer_is_a_step_the_customer_sees(customer, order, staff):
    rma = open_return(customer, order, reason="datasheet")

    services.return_ask_manufacturer(return_id=rma.pk, staff=staff, message="Asked YAGEO FAE.")

    rma.refresh_from_db()
    assert rma.status == ReturnStatus.MANUFACTURER
    assert rma.events.last().message == "Asked YAGEO FAE."


def test_a_rejected_return_says_why_and_is_closed(customer, order, staff):
    rma = open_return(customer, order)

    services.return_reject(return_id=rma.pk, staff=staff, message="Damage from soldering.")

    rma.refresh_from_db()
    assert (rma.status, rma.resolution) == (ReturnStatus.REJECTED, ReturnResolution.REJECTED)
    with pytest.raises(InvalidReturnStep):
        services.return_accept(return_id=rma.pk, staff=staff)


def test_a_return_cannot_be_refunded_before_it_is_accepted(customer, order, staff):
    rma = open_return(customer, order)

    with pytest.raises(InvalidReturnStep, match="accept it before refunding"):
        services.return_refund(return_id=rma.pk, staff=staff, destination="balance")
    assert not Refund.objects.exists()


def test_every_staff_step_is_one_message_to_the_customer(customer, order, staff):
    rma = open_return(customer, order)
    services.return_send_to_lab(return_id=rma.pk, staff=staff)
    services.return_lab_report_attach(return_id=rma.pk, staff=staff, report=lab_report())
    accepted(rma, staff)
    services.return_refund(return_id=rma.pk, staff=staff, destination="balance")

    told = Notification.objects.filter(customer=customer, kind=NotificationKind.RETURN_UPDATED)
    assert told.count() == 5  # opened, lab, report, accepted, refunded
    assert told.values("dedup_key").distinct().count() == 5


# --- refunds ------------------------------------------------------------------------------------


def test_the_refund_is_the_returned_pieces_share_incl_vat_to_the_cent(line):
    assert line.gross == Decimal("1.04")
    assert services.returned_share(line=line, quantity=10) == Decimal("0.07")
    assert services.returned_share(line=line, quantity=150) == Decimal("1.04")


def test_shares_of_several_returns_of_a_line_add_up_to_its_gross(line):
    shares = [
        services.returned_share(line=line, quantity=50, already=0),
        services.returned_share(line=line, quantity=50, already=50),
        services.returned_share(line=line, quantity=50, already=100),
    ]

    assert shares == [Decimal("0.35"), Decimal("0.34"), Decimal("0.35")]
    assert sum(shares) == line.gross


def test_a_refund_to_the_balance_gives_back_exactly_the_share(customer, order, staff):
    before = balance_of(customer)
    rma = accepted(open_return(customer, order, quantity=75), staff)

    services.return_refund(return_id=rma.pk, staff=staff, destination="balance")

    rma.refresh_from_db()
    refund = Refund.objects.get(order=order)
    assert (rma.status, rma.resolution) == (ReturnStatus.REFUNDED, "refund_balance")
    assert rma.refund_amount == refund.amount == Decimal("0.52")
    assert (refund.destination, refund.status) == (RefundDestination.BALANCE, "succeeded")
    assert balance_of(customer) == before + Decimal("0.52")


def test_refunding_twice_gives_the_money_back_once(customer, order, staff):
    rma = accepted(open_return(customer, order), staff)
    services.return_refund(return_id=rma.pk, staff=staff, destination="balance")

    with pytest.raises(InvalidReturnStep):
        services.return_refund(return_id=rma.pk, staff=staff, destination="balance")
    assert Refund.objects.count() == 1


def test_a_refund_to_the_original_method_goes_to_the_online_payment(customer, resistor, staff):
    order = place_order(customer, resistor, payment_method="gateway")
    pay_online(order, customer)
    deliver(order)
    rma = accepted(open_return(customer, order, quantity=150), staff)

    services.return_refund(return_id=rma.pk, staff=staff, destination="original")

    refund = Refund.objects.get(order=order)
    assert (refund.destination, refund.amount) == (RefundDestination.ORIGINAL, Decimal("1.04"))
    assert refund.payment.method == "gateway"
    assert refund.status == RefundStatus.PENDING  # sent to the gateway by a task after commit


def test_a_balance_paid_order_cannot_be_refunded_to_an_online_payment(customer, order, staff):
    rma = accepted(open_return(customer, order), staff)

    with pytest.raises(InvalidReturnStep, match="refund to the balance instead"):
        services.return_refund(return_id=rma.pk, staff=staff, destination="original")
    rma.refresh_from_db()
    assert rma.status == ReturnStatus.ACCEPTED


# --- replacement ----------------------------------------------------------------------------------


def test_a_replacement_is_a_paid_zero_price_order_reserving_stock(customer, order, staff, resistor):
    reserved_before = Stock.objects.get(part=resistor).reserved
    rma = accepted(open_return(customer, order, quantity=30), staff)

    services.return_replace(return_id=rma.pk, staff=staff)

    rma.refresh_from_db()
    new = rma.replacement_order
    new_line = new.lines.get()
    assert (rma.status, rma.resolution) == (ReturnStatus.REPLACED, "replacement")
    assert new.customer == customer and new.status == OrderStatus.PAID
    assert (new.total, new_line.gross, new_line.quantity) == (Decimal("0.00"), Decimal("0"), 30)
    assert (new.recipient, new.line1) == (order.recipient, order.line1)
    assert Stock.objects.get(part=resistor).reserved == reserved_before + 30


def test_no_replacement_when_the_stock_is_not_there(customer, order, staff, resistor):
    rma = accepted(open_return(customer, order, quantity=30), staff)
    Stock.objects.filter(part=resistor).update(on_hand=10, reserved=0)

    with pytest.raises(InvalidReturnStep, match="Only 10 of 30 pieces"):
        services.return_replace(return_id=rma.pk, staff=staff)
    rma.refresh_from_db()
    assert rma.status == ReturnStatus.ACCEPTED
    assert Order.objects.count() == 1


# --- returned pieces: quarantine, then stock only after inspection ------------------------------


def test_received_pieces_go_to_quarantine_not_to_stock(customer, order, staff, resistor):
    before = Stock.objects.get(part=resistor)
    rma = accepted(open_return(customer, order, quantity=40), staff)

    services.return_goods_receive(return_id=rma.pk, staff=staff, quantity=40)

    stock = Stock.objects.get(part=resistor)
    assert stock.quarantine == 40
    assert (stock.on_hand, stock.available) == (before.on_hand, before.available)


def test_inspected_pieces_are_released_to_stock_or_written_off(customer, order, staff, resistor):
    before = Stock.objects.get(part=resistor)
    rma = accepted(open_return(customer, order, quantity=40), staff)
    services.return_goods_receive(return_id=rma.pk, staff=staff, quantity=40)

    services.return_inspect(return_id=rma.pk, staff=staff, release=30, write_off=10)

    stock = Stock.objects.get(part=resistor)
    rma.refresh_from_db()
    assert stock.quarantine == 0
    assert stock.on_hand == before.on_hand + 30
    resistor.refresh_from_db()
    assert resistor.stock_available == stock.available
    assert (rma.released_quantity, rma.written_off_quantity, rma.in_quarantine) == (30, 10, 0)
    assert rma.events.filter(kind=ReturnEventKind.INSPECTED).exists()


def test_more_than_is_in_quarantine_cannot_be_released(customer, order, staff, resistor):
    rma = accepted(open_return(customer, order, quantity=40), staff)
    services.return_goods_receive(return_id=rma.pk, staff=staff, quantity=20)

    with pytest.raises(ValidationError, match="Only 20 pieces"):
        services.return_inspect(return_id=rma.pk, staff=staff, release=21)
    assert Stock.objects.get(part=resistor).quarantine == 20


def test_pieces_are_received_only_for_an_accepted_return(customer, order, staff):
    rma = open_return(customer, order, quantity=40)

    with pytest.raises(InvalidReturnStep, match="accept it before receiving"):
        services.return_goods_receive(return_id=rma.pk, staff=staff, quantity=40)


def test_more_pieces_than_the_return_cannot_be_received(customer, order, staff):
    rma = accepted(open_return(customer, order, quantity=40), staff)

    with pytest.raises(ValidationError, match="Only 40 more pieces"):
        services.return_goods_receive(return_id=rma.pk, staff=staff, quantity=41)


def test_the_timeline_keeps_who_did_what_and_when(customer, order, staff):
    rma = open_return(customer, order)
    accepted(rma, staff)
    services.return_refund(return_id=rma.pk, staff=staff, destination="balance")

    steps = list(ReturnEvent.objects.filter(request=rma).values_list("actor_label", "to_status"))

    assert steps == [
        ("customer", "open"),
        ("staff", "accepted"),
        ("staff", "refunded"),
    ]
