"""A shipped order, its tracking and the shipping and return emails of a Chinese customer
carry no English interface text (carrier names, tracking numbers and references are data)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from customers.models import Notification, NotificationKind, User
from orders.fulfilment import services as fulfilment
from orders.models import Carrier
from tests.customers.factories import CustomerFactory
from tests.i18n.english import english_ui_strings
from tests.orders.fulfilment_helpers import allocate_and_pick, paid_order, stocked_part
from tests.orders.returns_helpers import delivered_order, open_return

pytestmark = pytest.mark.django_db

CHINESE = "zh-hans"


@pytest.fixture
def customer():
    customer = CustomerFactory(email="caigou@example.cn")
    User.objects.filter(pk=customer.pk).update(language=CHINESE)
    customer.refresh_from_db()
    return customer


@pytest.fixture
def resistor():
    return stocked_part("RC0603FR-0710KL", bin_location="A-01-1")


@pytest.fixture
def shipped(customer, resistor):
    order = paid_order(customer, (resistor, 100))
    allocate_and_pick(order)
    fulfilment.shipment_create(
        order_id=order.pk, carrier=Carrier.SF_EXPRESS, tracking_number="SF1234567890"
    )
    return order


def zh_main(client, customer, name, *args) -> str:
    client.force_login(customer)
    client.cookies["django_language"] = CHINESE
    with translation.override(CHINESE):
        url = reverse(name, args=args)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=CHINESE, secure=True)
    assert response.status_code == 200, url
    return re.search(r"<main\b.*?</main>", response.content.decode(), re.S).group(0)


def test_a_shipped_order_with_its_tracking_is_chinese(client, customer, shipped):
    main = zh_main(client, customer, "orders:order-detail", shipped.reference)

    assert english_ui_strings(main) == []
    assert "已发货" in main and "SF1234567890" in main


def test_the_shipping_email_of_a_chinese_customer_is_chinese(customer, shipped):
    message = Notification.objects.get(customer=customer, kind=NotificationKind.ORDER_SHIPPED)

    assert shipped.reference in message.subject and "发货" in message.subject
    assert "SF1234567890" in message.body_text and "您好" in message.body_text
    assert english_ui_strings(message.body_html) == []


def test_the_return_email_of_a_chinese_customer_is_chinese(customer, resistor):
    order = delivered_order(customer, resistor)
    open_return(customer, order)

    message = Notification.objects.filter(
        customer=customer, kind=NotificationKind.RETURN_UPDATED
    ).first()

    assert message is not None
    assert "退" in message.subject
    assert english_ui_strings(message.body_html) == []
