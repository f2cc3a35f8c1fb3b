"""Returns under real concurrent connections (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Stock
from orders.models import ReturnRequest
from orders.returns import services
from orders.returns.errors import ReturnNotAllowed
from tests.concurrency.parallel import run_in_parallel
from tests.orders.conftest import customer, resistor, staff  # noqa: F401
from tests.orders.returns_helpers import delivered_order, open_return

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_two_returns_of_the_last_pieces_at_once_open_one(
    customer,  # noqa: F811
    resistor,  # noqa: F811
):
    order = delivered_order(customer, resistor)
    open_return(customer, order, quantity=140, key="rma-first")

    results = run_in_parallel(
        lambda i: open_return(customer, order, quantity=10, key=f"rma-last-{i}"), 2
    )

    opened = [r for r in results if isinstance(r, ReturnRequest)]
    refused = [r for r in results if isinstance(r, ReturnNotAllowed | ValidationError)]
    assert (len(opened), len(refused)) == (1, 1), results
    assert sum(ReturnRequest.objects.values_list("quantity", flat=True)) == 150


def test_the_same_return_form_sent_twice_at_once_opens_one(
    customer,  # noqa: F811
    resistor,  # noqa: F811
):
    order = delivered_order(customer, resistor)

    results = run_in_parallel(lambda i: open_return(customer, order, key="rma-same"), 2)

    assert all(isinstance(r, ReturnRequest) for r in results), results
    assert results[0].pk == results[1].pk
    assert ReturnRequest.objects.count() == 1


def test_two_inspections_at_once_never_release_more_than_is_in_quarantine(
    customer,  # noqa: F811
    resistor,  # noqa: F811
    staff,  # noqa: F811
):
    order = delivered_order(customer, resistor)
    rma = open_return(customer, order, quantity=40)
    services.return_accept(return_id=rma.pk, staff=staff)
    services.return_goods_receive(return_id=rma.pk, staff=staff, quantity=40)
    on_hand = Stock.objects.get(part=resistor).on_hand

    results = run_in_parallel(
        lambda i: services.return_inspect(return_id=rma.pk, staff=staff, release=30), 2
    )

    assert sum(isinstance(r, ReturnRequest) for r in results) == 1, results
    stock = Stock.objects.get(part=resistor)
    assert (stock.on_hand, stock.quarantine) == (on_hand + 30, 10)
