"""An idempotency key belongs to its owner: another customer sending the same key (two ERP
clients both counting from "1", two browsers' form tokens) gets their own result, never the
first owner's order, payment, top-up or points entry."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from customers import services as customer_services
from customers.models import BalanceEntry, CustomerProfile, PointsEntry, TopUp
from orders.models import Order, Payment
from orders.payments import services as payments
from tests.customers.factories import AddressFactory
from tests.factories import ShippingMethodFactory
from tests.orders.checkout_helpers import fill_cart
from tests.orders.payments_helpers import fund, place_online_order, place_order

pytestmark = pytest.mark.django_db

KEY = "1"


def profile(user) -> CustomerProfile:
    return CustomerProfile.objects.get(user=user)


# --- orders ------------------------------------------------------------------------------------


def test_the_same_order_key_from_two_customers_places_two_orders(
    customer, other_customer, resistor
):
    first = place_order(customer, resistor, key=KEY)

    second = place_order(other_customer, resistor, quantity=300, key=KEY)

    assert second.pk != first.pk
    assert (second.customer, second.lines.get().quantity) == (other_customer, 300)
    assert Order.objects.filter(idempotency_key=KEY).count() == 2


def test_the_same_idempotency_key_header_from_two_api_clients_places_two_orders(
    customer, other_customer, resistor
):
    method = ShippingMethodFactory()
    references = []
    for buyer, quantity in ((customer, 150), (other_customer, 300)):
        address = AddressFactory(user=buyer, is_default=True)
        fill_cart(buyer, (resistor, quantity))
        client = APIClient()
        client.force_authenticate(buyer)
        body = {
            "address_id": address.pk,
            "shipping_method_id": method.pk,
            "payment_method": "bank_transfer",
        }
        token = client.post("/api/v1/checkout/quote/", body, format="json").json()["token"]
        response = client.post(
            "/api/v1/checkout/orders/",
            {**body, "quote_token": token},
            format="json",
            HTTP_IDEMPOTENCY_KEY=KEY,
        )
        assert response.status_code == 201, response.json()
        references.append(response.json()["reference"])

    assert references[0] != references[1]
    assert Order.objects.get(reference=references[1]).customer == other_customer


# --- payments ----------------------------------------------------------------------------------


def test_the_same_balance_payment_key_from_two_customers_pays_each_ones_order(
    customer, other_customer, resistor
):
    fund(customer, "50.00")
    fund(other_customer, "50.00")
    mine = place_order(customer, resistor)
    theirs = place_order(other_customer, resistor, key="form-b")

    first = payments.payment_pay_from_balance(
        order_id=mine.pk, customer=customer, amount="5.00", idempotency_key=KEY
    )
    second = payments.payment_pay_from_balance(
        order_id=theirs.pk, customer=other_customer, amount="5.00", idempotency_key=KEY
    )

    assert second.pk != first.pk and second.order_id == theirs.pk
    assert profile(customer).balance == profile(other_customer).balance == Decimal("45.00")


def test_the_same_online_payment_key_from_two_customers_opens_two_payments(
    customer, other_customer, resistor
):
    mine = place_online_order(customer, resistor)
    theirs = place_online_order(other_customer, resistor, key="form-b")

    first, _ = payments.payment_start_online(
        order_id=mine.pk, customer=customer, idempotency_key=KEY
    )
    second, _ = payments.payment_start_online(
        order_id=theirs.pk, customer=other_customer, idempotency_key=KEY
    )

    assert second.pk != first.pk and second.order_id == theirs.pk
    assert second.provider_reference != first.provider_reference
    assert Payment.objects.count() == 2


# --- the balance, top-ups and points -----------------------------------------------------------


def test_the_same_top_up_key_from_two_customers_opens_two_top_ups(customer, other_customer):
    first = customer_services.top_up_create(
        user=customer, amount=Decimal("500.00"), idempotency_key=KEY
    )

    second = customer_services.top_up_create(
        user=other_customer, amount=Decimal("800.00"), idempotency_key=KEY
    )

    assert second.pk != first.pk and second.reference != first.reference
    assert (second.user, second.amount) == (other_customer, Decimal("800.00"))
    assert TopUp.objects.filter(idempotency_key=KEY).count() == 2


def test_the_same_top_up_key_header_from_two_api_clients_opens_two_top_ups(
    customer, other_customer
):
    references = []
    for buyer in (customer, other_customer):
        client = APIClient()
        client.force_authenticate(buyer)
        response = client.post(
            "/api/v1/account/top-ups/",
            {"amount": "500.00"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=KEY,
        )
        assert response.status_code == 201, response.json()
        references.append(response.json()["reference"])

    assert references[0] != references[1]
    assert TopUp.objects.get(reference=references[1]).user == other_customer


def test_the_same_balance_key_from_two_customers_moves_each_ones_balance(customer, other_customer):
    first = customer_services.balance_credit(
        user=customer, amount=Decimal("30.00"), idempotency_key=KEY
    )

    second = customer_services.balance_credit(
        user=other_customer, amount=Decimal("70.00"), idempotency_key=KEY
    )

    assert second.pk != first.pk and second.user == other_customer
    assert (profile(customer).balance, profile(other_customer).balance) == (
        Decimal("30.00"),
        Decimal("70.00"),
    )
    assert BalanceEntry.objects.filter(idempotency_key=KEY).count() == 2


def test_the_same_points_redeem_key_from_two_customers_spends_each_ones_points(
    customer, other_customer
):
    for buyer in (customer, other_customer):
        customer_services.points_earn_for_order(
            user=buyer, order_reference=f"SO-{buyer.pk}", amount_paid=Decimal("100.00")
        )
    first = customer_services.points_redeem(
        user=customer, points=20, reference="SO-A", idempotency_key=KEY
    )

    second = customer_services.points_redeem(
        user=other_customer, points=50, reference="SO-B", idempotency_key=KEY
    )

    assert second.pk != first.pk and (second.user, second.points) == (other_customer, -50)
    assert (profile(customer).points, profile(other_customer).points) == (80, 50)
    assert PointsEntry.objects.filter(idempotency_key=f"redeem:{KEY}").count() == 2
