"""The return and complaint pages of a Chinese customer carry no English interface text
(part data, references and what the customer typed are data, marked translate="no")."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from customers.models import User
from orders.returns import services
from tests.i18n.english import english_ui_strings
from tests.orders.returns_helpers import delivered_order, open_return, photo

pytestmark = pytest.mark.django_db

CHINESE = "zh-hans"


@pytest.fixture
def chinese(client, customer):
    User.objects.filter(pk=customer.pk).update(language=CHINESE)
    client.force_login(customer)
    client.cookies["django_language"] = CHINESE
    return client


@pytest.fixture
def order(customer, resistor):
    return delivered_order(customer, resistor)


def zh_page(client, name, *args) -> str:
    with translation.override(CHINESE):
        with_prefix = reverse(name, args=args)
    response = client.get(with_prefix, HTTP_ACCEPT_LANGUAGE=CHINESE, secure=True)
    assert response.status_code == 200, with_prefix
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_a_delivered_order_offers_a_return_in_chinese(chinese, order):
    main = zh_page(chinese, "orders:order-detail", order.reference)

    assert "退货或投诉" in main
    assert english_ui_strings(main) == []


def test_the_return_form_is_chinese(chinese, order):
    main = zh_page(chinese, "orders:return-open", order.reference, order.lines.get().pk)

    assert "原因" in main and "照片" in main
    assert english_ui_strings(main) == []


def test_an_empty_return_list_is_chinese(chinese):
    main = zh_page(chinese, "orders:return-list")

    assert "还没有退货或投诉" in main
    assert english_ui_strings(main) == []


def test_a_return_list_with_a_return_is_chinese(chinese, customer, order):
    open_return(customer, order)

    main = zh_page(chinese, "orders:return-list")

    assert english_ui_strings(main) == []


def test_a_return_with_its_timeline_is_chinese(chinese, customer, order, staff):
    request = open_return(customer, order, photos=[photo()])
    services.return_accept(return_id=request.pk, staff=staff, message="")

    main = zh_page(chinese, "orders:return-detail", request.reference)

    assert "引脚弯曲" in main  # the reason, in Chinese
    assert english_ui_strings(main) == []


def test_a_complaint_waiting_for_the_customers_answer_is_chinese(chinese, customer, order, staff):
    request = open_return(customer, order, kind="complaint", key="rma-2")
    services.return_request_info(
        return_id=request.pk, staff=staff, message="请提供批号照片。"
    )

    main = zh_page(chinese, "orders:return-detail", request.reference)

    assert "需要补充信息" in main
    assert english_ui_strings(main) == []
