"""Paying orders from the balance, by bank transfer and online, and refunding them."""

from decimal import Decimal

import pytest

from customers.models import BalanceEntry, BalanceEntryKind, CustomerProfile
from orders.errors import PaymentError
from orders.lifecycle.services import order_cancel
from orders.models import (
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from orders.payments import services
from orders.payments.providers import sandbox
from tests.orders.payments_helpers import fund, place_online_order, place_order

pytestmark = pytest.mark.django_db


def balance_of(customer) -> Decimal:
    return CustomerProfile.objects.get(user=customer).balance


def points_of(customer) -> int:
    return CustomerProfile.objects.get(user=customer).points


def transfer(order, amount, staff, **kwargs):
    return services.payment_record_bank_transfer(
        reference=order.reference, amount=amount, staff=staff, **kwargs
    )


def pay_online(order, customer, *, status="succeeded", event_id="evt_1"):
    payment, _url = services.payment_start_online(
        order_id=order.pk, customer=customer, idempotency_key="online-1"
    )
    headers, body = sandbox.notification_for(payment, status, event_id=event_id)
    services.notification_receive(provider_name="sandbox", headers=headers, body=body)
    payment.refresh_from_db()
    return payment


@pytest.fixture
def paid_order(customer, resistor, staff):
    order = place_order(customer, resistor)
    transfer(order, "14.60", staff, bank_reference="BOC-1")
    order.refresh_from_db()
    return order


# --- from the balance ---------------------------------------------------------------------------


def test_the_balance_pays_what_is_due_and_the_order_becomes_paid(customer, resistor):
    fund(customer, "20.00")
    order = place_order(customer, resistor)

    payment = services.payment_pay_from_balance(
        order_id=order.pk, customer=customer, idempotency_key="k1"
    )

    order.refresh_from_db()
    assert (payment.method, payment.amount, payment.status) == (
        "balance",
        Decimal("14.60"),
        "succeeded",
    )
    assert order.status == OrderStatus.PAID and order.amount_paid == Decimal("14.60")
    assert balance_of(customer) == Decimal("5.40")
    assert points_of(customer) == 14


def test_part_of_the_amount_from_the_balance_leaves_the_rest_due(customer, resistor):
    fund(customer, "20.00")
    order = place_order(customer, resistor)

    services.payment_pay_from_balance(
        order_id=order.pk, customer=customer, amount="10.00", idempotency_key="k1"
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.outstanding == Decimal("4.60")
    assert balance_of(customer) == Decimal("10.00")


def test_a_balance_smaller_than_the_amount_is_refused_and_nothing_is_written(customer, resistor):
    fund(customer, "10.00")
    order = place_order(customer, resistor)

    with pytest.raises(PaymentError) as refused:
        services.payment_pay_from_balance(
            order_id=order.pk, customer=customer, idempotency_key="k1"
        )

    assert str(refused.value) == (
        "Your balance is 10.00 CNY, less than 14.60 CNY: pay part of it from the balance and "
        "the rest by bank transfer or online."
    )
    assert not order.payments.exists() and balance_of(customer) == Decimal("10.00")


def test_paying_twice_with_one_form_debits_the_balance_once(customer, resistor):
    fund(customer, "50.00")
    order = place_order(customer, resistor)

    first = services.payment_pay_from_balance(
        order_id=order.pk, customer=customer, amount="5.00", idempotency_key="k1"
    )
    again = services.payment_pay_from_balance(
        order_id=order.pk, customer=customer, amount="5.00", idempotency_key="k1"
    )

    assert again.pk == first.pk and order.payments.count() == 1
    assert balance_of(customer) == Decimal("45.00")


def test_more_than_is_due_cannot_be_paid_from_the_balance(customer, resistor):
    fund(customer, "50.00")
    order = place_order(customer, resistor)

    with pytest.raises(PaymentError) as refused:
        services.payment_pay_from_balance(
            order_id=order.pk, customer=customer, amount="20.00", idempotency_key="k1"
        )

    assert (
        str(refused.value) == f"Only 14.60 CNY is still due on {order.reference}: pay at most that."
    )


def test_a_paid_order_has_nothing_left_to_pay_from_the_balance(customer, paid_order):
    fund(customer, "50.00")

    with pytest.raises(PaymentError) as refused:
        services.payment_pay_from_balance(
            order_id=paid_order.pk, customer=customer, idempotency_key="k1"
        )

    assert str(refused.value) == f"Order {paid_order.reference} is paid: nothing is left to pay."


def test_another_customers_order_cannot_be_paid_from_ones_balance(
    customer, other_customer, resistor
):
    fund(other_customer, "50.00")
    order = place_order(customer, resistor)

    with pytest.raises(Order.DoesNotExist):
        services.payment_pay_from_balance(
            order_id=order.pk, customer=other_customer, idempotency_key="k1"
        )

    assert balance_of(other_customer) == Decimal("50.00")


# --- bank transfer ------------------------------------------------------------------------------


def test_a_transfer_quoting_a_loosely_typed_reference_pays_the_order(customer, resistor, staff):
    order = place_order(customer, resistor)
    typed = " " + order.reference.lower().replace("-", " ") + " "

    outcome = services.payment_record_bank_transfer(
        reference=typed, amount="14.60", staff=staff, bank_reference="BOC-1"
    )

    order.refresh_from_db()
    assert outcome.message == f"14.60 CNY recorded on {order.reference}: the order is paid."
    assert order.status == OrderStatus.PAID
    assert (outcome.payment.recorded_by, outcome.payment.provider_reference) == (staff, "BOC-1")


def test_a_partial_transfer_leaves_the_order_awaiting_the_rest(customer, resistor, staff):
    order = place_order(customer, resistor)

    outcome = transfer(order, "10.00", staff)

    order.refresh_from_db()
    assert outcome.message == f"10.00 CNY recorded on {order.reference}; 4.60 CNY still due."
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.outstanding == Decimal("4.60")


def test_an_overpayment_goes_to_the_customers_balance_with_a_ledger_entry(
    customer, resistor, staff
):
    order = place_order(customer, resistor)

    outcome = transfer(order, "20.00", staff)

    entry = BalanceEntry.objects.get(user=customer)
    assert outcome.credited == Decimal("5.40")
    assert outcome.message == (
        f"20.00 CNY recorded on {order.reference}; 5.40 CNY over the amount due were credited "
        "to the customer's balance."
    )
    assert (entry.amount, entry.kind, entry.note) == (
        Decimal("5.40"),
        BalanceEntryKind.REFUND,
        f"overpayment of {order.reference}",
    )
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_a_transfer_for_a_cancelled_order_is_credited_to_the_balance_in_full(
    customer, resistor, staff
):
    order = place_order(customer, resistor)
    order_cancel(order_id=order.pk, actor=customer, reason="Ordered twice")

    outcome = transfer(order, "14.60", staff)

    assert outcome.message == (
        f"{order.reference} is cancelled: the 14.60 CNY received were credited to the "
        "customer's balance in full."
    )
    assert balance_of(customer) == Decimal("14.60")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_one_bank_reference_recorded_twice_makes_one_payment(customer, resistor, staff):
    order = place_order(customer, resistor)
    transfer(order, "10.00", staff, bank_reference="BOC-77")

    again = transfer(order, "10.00", staff, bank_reference="BOC-77")

    assert again.message == (
        f"The transfer BOC-77 was already recorded on {order.reference}: nothing changed."
    )
    assert order.payments.count() == 1


def test_one_bank_reference_with_another_amount_is_refused(customer, resistor, staff):
    order = place_order(customer, resistor)
    transfer(order, "10.00", staff, bank_reference="BOC-77")

    with pytest.raises(PaymentError) as refused:
        transfer(order, "4.60", staff, bank_reference="BOC-77")

    assert str(refused.value) == (
        f"The bank reference BOC-77 was already recorded: 10.00 CNY on {order.reference}."
    )


def test_a_transfer_quoting_an_unknown_reference_is_refused(staff, db):
    with pytest.raises(PaymentError) as refused:
        services.payment_record_bank_transfer(reference="so-2345678", amount="10", staff=staff)

    assert str(refused.value) == "No order has the reference SO-2345678."
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("ten", "Enter the amount as a number, e.g. 120.50."),
        ("0", "The amount must be greater than zero."),
        ("-5.00", "The amount must be greater than zero."),
        ("10.005", "Amounts have at most 2 decimal places."),
    ],
)
def test_a_transfer_with_a_bad_amount_is_refused(customer, resistor, staff, amount, message):
    order = place_order(customer, resistor)

    with pytest.raises(PaymentError) as refused:
        transfer(order, amount, staff)

    assert str(refused.value) == message
    assert not order.payments.exists()


# --- online, and mixes --------------------------------------------------------------------------


def test_balance_at_checkout_and_online_for_the_rest_pay_the_order(customer, resistor):
    fund(customer, "5.00")
    order = place_online_order(customer, resistor, balance_amount=Decimal("5.00"))

    online = pay_online(order, customer)

    order.refresh_from_db()
    assert online.amount == Decimal("9.60") and online.status == PaymentStatus.SUCCEEDED
    assert order.status == OrderStatus.PAID
    succeeded = order.payments.filter(status=PaymentStatus.SUCCEEDED)
    assert sorted(p.amount for p in succeeded) == [Decimal("5.00"), Decimal("9.60")]
    assert sum(p.amount for p in succeeded) == order.total - order.points_amount


def test_balance_later_and_a_transfer_for_the_rest_pay_the_order(customer, resistor, staff):
    fund(customer, "4.60")
    order = place_order(customer, resistor)
    services.payment_pay_from_balance(
        order_id=order.pk, customer=customer, amount="4.60", idempotency_key="k"
    )

    transfer(order, "10.00", staff)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.amount_paid == Decimal("14.60")


def test_starting_an_online_payment_only_opens_it(customer, resistor):
    order = place_online_order(customer, resistor)

    payment, url = services.payment_start_online(
        order_id=order.pk, customer=customer, idempotency_key="online-1"
    )

    assert url == f"/payments/sandbox/{payment.provider_reference}/"
    assert (payment.status, payment.amount, payment.provider) == (
        "pending",
        Decimal("14.60"),
        "sandbox",
    )
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_an_unreachable_gateway_fails_the_attempt_and_charges_nothing(customer, resistor, settings):
    settings.ORDERS_PAYMENT_PROVIDERS = {
        "sandbox": "tests.orders.payments_helpers.UnreachableSandbox"
    }
    order = place_online_order(customer, resistor)

    with pytest.raises(PaymentError) as refused:
        services.payment_start_online(order_id=order.pk, customer=customer, idempotency_key="o")

    assert str(refused.value) == (
        "The payment gateway did not answer, so nothing was charged: try again in a minute, "
        "or pay by bank transfer."
    )
    assert order.payments.get().status == PaymentStatus.FAILED


def test_a_failed_online_payment_leaves_the_order_awaiting_payment(customer, resistor):
    order = place_online_order(customer, resistor)

    payment = pay_online(order, customer, status="failed")

    assert payment.status == PaymentStatus.FAILED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_an_online_payment_confirmed_after_the_order_was_cancelled_goes_to_the_balance(
    customer, resistor
):
    order = place_online_order(customer, resistor)
    payment, _url = services.payment_start_online(
        order_id=order.pk, customer=customer, idempotency_key="online-1"
    )
    order_cancel(order_id=order.pk, actor=customer, reason="Changed my mind")
    headers, body = sandbox.notification_for(payment, "succeeded", event_id="evt_late")

    services.notification_receive(provider_name="sandbox", headers=headers, body=body)

    assert balance_of(customer) == Decimal("14.60")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


# --- refunds --------------------------------------------------------------------------------------


def test_a_partial_refund_to_the_balance_keeps_the_order_paid_and_notes_it(
    customer, paid_order, staff
):
    services.refund_to_balance(order_id=paid_order.pk, amount="4.60", staff=staff, reason="Short")

    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID
    assert balance_of(customer) == Decimal("4.60")
    assert OrderEvent.objects.filter(order=paid_order, kind="refund").last().message == (
        "4.60 CNY refunded to the account balance: Short"
    )


def test_a_refund_never_exceeds_what_was_paid(paid_order, staff):
    services.refund_to_balance(order_id=paid_order.pk, amount="10.00", staff=staff, reason="a")

    with pytest.raises(PaymentError) as refused:
        services.refund_to_balance(order_id=paid_order.pk, amount="5.00", staff=staff, reason="b")

    assert (
        str(refused.value) == f"At most 4.60 CNY of {paid_order.reference} can still be refunded."
    )
    assert paid_order.refunds.count() == 1


def test_a_refund_needs_a_reason(paid_order, staff):
    with pytest.raises(PaymentError) as refused:
        services.refund_to_balance(order_id=paid_order.pk, amount="1.00", staff=staff, reason=" ")

    assert str(refused.value) == "Say why the money is refunded."


def test_a_full_refund_makes_the_order_refunded_and_takes_back_its_points(
    customer, paid_order, staff
):
    assert points_of(customer) == 14

    services.refund_to_balance(order_id=paid_order.pk, amount="14.60", staff=staff, reason="RMA")

    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert points_of(customer) == 0
    assert balance_of(customer) == Decimal("14.60")


def test_a_refund_to_the_online_payment_is_sent_to_the_gateway(
    customer, resistor, staff, django_capture_on_commit_callbacks
):
    order = place_online_order(customer, resistor)
    payment = pay_online(order, customer)

    with django_capture_on_commit_callbacks(execute=True):
        refund = services.refund_to_original(
            order_id=order.pk, payment_id=payment.pk, amount="14.60", staff=staff, reason="RMA"
        )

    refund.refresh_from_db()
    assert (refund.status, refund.provider_reference) == ("succeeded", f"sbx-refund-{refund.pk}")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.REFUNDED
    assert balance_of(customer) == Decimal("0.00")


def test_sending_a_refund_twice_refunds_once(customer, resistor, staff):
    order = place_online_order(customer, resistor)
    payment = pay_online(order, customer)
    refund = services.refund_to_original(
        order_id=order.pk, payment_id=payment.pk, amount="4.60", staff=staff, reason="Short"
    )

    assert services.refund_send(refund_id=refund.pk) is True
    assert services.refund_send(refund_id=refund.pk) is True

    assert order.events.filter(message__startswith="4.60 CNY refunded to the online").count() == 1


def test_a_refund_the_gateway_refuses_is_marked_failed_with_its_reason(
    customer, resistor, staff, settings
):
    order = place_online_order(customer, resistor)
    payment = pay_online(order, customer)
    refund = services.refund_to_original(
        order_id=order.pk, payment_id=payment.pk, amount="4.60", staff=staff, reason="Short"
    )
    settings.ORDERS_PAYMENT_PROVIDERS = {"sandbox": "tests.orders.payments_helpers.RefusingSandbox"}

    assert services.refund_send(refund_id=refund.pk) is False

    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED
    assert refund.last_error == "Refund refused: the original payment is older than 90 days."


def test_a_refund_the_gateway_does_not_answer_stays_pending_for_a_retry(
    customer, resistor, staff, settings
):
    order = place_online_order(customer, resistor)
    payment = pay_online(order, customer)
    refund = services.refund_to_original(
        order_id=order.pk, payment_id=payment.pk, amount="4.60", staff=staff, reason="Short"
    )
    settings.ORDERS_PAYMENT_PROVIDERS = {
        "sandbox": "tests.orders.payments_helpers.UnreachableSandbox"
    }

    with pytest.raises(ConnectionError):
        services.refund_send(refund_id=refund.pk)

    refund.refresh_from_db()
    assert (refund.status, refund.last_error) == ("pending", "Connection to the gateway timed out.")


def test_a_pending_online_refund_counts_against_what_can_still_be_refunded(
    customer, resistor, staff
):
    order = place_online_order(customer, resistor)
    payment = pay_online(order, customer)
    services.refund_to_original(
        order_id=order.pk, payment_id=payment.pk, amount="10.00", staff=staff, reason="a"
    )

    with pytest.raises(PaymentError) as refused:
        services.refund_to_balance(order_id=order.pk, amount="5.00", staff=staff, reason="b")

    assert str(refused.value) == f"At most 4.60 CNY of {order.reference} can still be refunded."
    assert Refund.objects.filter(order=order).count() == 1


def test_only_an_online_payment_is_refunded_to_where_it_came_from(paid_order, staff):
    transfer_payment = paid_order.payments.get()

    with pytest.raises(PaymentError) as refused:
        services.refund_to_original(
            order_id=paid_order.pk,
            payment_id=transfer_payment.pk,
            amount="1.00",
            staff=staff,
            reason="a",
        )

    assert str(refused.value) == (
        "Only a succeeded online payment of this order can be refunded to where it came "
        "from: refund to the balance instead."
    )
    assert transfer_payment.method == PaymentMethod.BANK_TRANSFER


def test_cancelling_after_a_partial_refund_gives_back_only_the_rest(customer, paid_order, staff):
    services.refund_to_balance(order_id=paid_order.pk, amount="4.60", staff=staff, reason="Short")

    order_cancel(order_id=paid_order.pk, actor=staff, reason="Out of stock", by_staff=True)

    assert balance_of(customer) == Decimal("14.60")
    assert services.refundable(Order.objects.get(pk=paid_order.pk)) == Decimal("0.00")


def test_a_refund_over_two_payments_is_split_between_them(customer, resistor, staff):
    order = place_order(customer, resistor)
    transfer(order, "10.00", staff)
    transfer(order, "4.60", staff)

    services.refund_to_balance(order_id=order.pk, amount="12.00", staff=staff, reason="RMA")

    shares = sorted((r.payment.amount, r.amount) for r in order.refunds.all())
    assert shares == [(Decimal("4.60"), Decimal("2.00")), (Decimal("10.00"), Decimal("10.00"))]
    assert balance_of(customer) == Decimal("12.00")
