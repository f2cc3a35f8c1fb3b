"""Staff take a return's steps in the admin; customers cannot."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Stock
from orders.models import Refund
from tests.orders.returns_helpers import delivered_order, lab_report, open_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def rma(customer, resistor):
    return open_return(customer, delivered_order(customer, resistor), quantity=30)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def step(client, rma, name, **data):
    return client.post(
        reverse("admin:orders_returnrequest_step", args=[rma.pk]),
        {"step": name, **data},
        follow=True,
    )


def test_the_return_page_shows_the_steps_allowed_now(admin_client, rma):
    page = admin_client.get(reverse("admin:orders_returnrequest_change", args=[rma.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "step-accept" in text and "step-lab_test" in text
    assert "step-refund_balance" not in text  # only once accepted
    assert "0.21 CNY" in text  # 30 of 150 pieces of a 1.04 line


def test_staff_accept_then_refund_to_the_balance(admin_client, rma):
    step(admin_client, rma, "accept", message="Send them back.")
    response = step(admin_client, rma, "refund_balance")

    rma.refresh_from_db()
    assert rma.status == "refunded"
    assert Refund.objects.get().amount == Decimal("0.21")
    assert "Refunded" in response.content.decode()


def test_a_step_not_allowed_now_is_refused_with_a_message(admin_client, rma):
    response = step(admin_client, rma, "refund_balance")

    rma.refresh_from_db()
    assert rma.status == "open"
    assert "accept it before refunding" in response.content.decode()


def test_staff_attach_the_lab_report(admin_client, rma):
    step(admin_client, rma, "lab_test")

    admin_client.post(
        reverse("admin:orders_returnrequest_step", args=[rma.pk]),
        {"step": "lab_report", "report": lab_report()},
    )

    assert rma.events.filter(kind="lab_report").exclude(attachment="").exists()


def test_staff_receive_and_inspect_returned_pieces(admin_client, rma, resistor):
    on_hand = Stock.objects.get(part=resistor).on_hand
    step(admin_client, rma, "accept")
    step(admin_client, rma, "receive", quantity="30")
    step(admin_client, rma, "inspect", release="25", write_off="5")

    stock = Stock.objects.get(part=resistor)
    assert (stock.on_hand, stock.quarantine) == (on_hand + 25, 0)


def test_a_customer_cannot_take_a_step(client, customer, rma):
    client.force_login(customer)

    response = client.post(
        reverse("admin:orders_returnrequest_step", args=[rma.pk]), {"step": "accept"}
    )

    rma.refresh_from_db()
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert rma.status == "open"
