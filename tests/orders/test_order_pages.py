"""The customer's order pages: the list with filters, an order's page, cancelling it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Stock
from orders.lifecycle.services import order_cancel
from orders.models import Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from tests.customers.factories import AddressFactory, InvoiceDetailsFactory
from tests.factories import (
    ManufacturerFactory,
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import choices, fill_cart, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def address(customer):
    return AddressFactory(user=customer, is_default=True)


@pytest.fixture
def express(db):
    return ShippingMethodFactory()


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def order(customer, resistor, address, express):
    fill_cart(customer, (resistor, 150))
    return place(customer, choices(address, express, po_number="PO-4711"), key="first")


def get(client, url):
    return client.get(url, secure=True)


def post(client, url, data=None):
    return client.post(url, data or {}, secure=True)


def parts(count):
    made = []
    for n in range(count):
        part = PartFactory(mpn=f"GRM188R71H{n:03d}KA01D", manufacturer=ManufacturerFactory())
        StockFactory(part=part, on_hand=10000)
        option = PackagingOptionFactory(part=part)
        PriceBreakFactory(packaging=option, min_quantity=1, unit_price=Decimal("0.0100"))
        made.append(part)
    return made


def order_of_lines(customer, address, express, count, key):
    fill_cart(customer, *[(part, 100) for part in parts(count)])
    return place(customer, choices(address, express), key=key)


# --- the list ---------------------------------------------------------------------------------


def test_the_account_menu_has_orders(signed_in):
    html = get(signed_in, "/account/").content.decode()

    assert '<a href="/account/orders/"' in html and ">Orders</a>" in html


def test_the_list_shows_the_customers_orders(signed_in, order):
    html = get(signed_in, "/account/orders/").content.decode()

    assert f'href="/account/orders/{order.reference}/"' in html
    assert "PO-4711" in html and "CNY 14.60" in html and "Awaiting payment" in html


def test_the_list_does_not_show_other_customers_orders(client, other_customer, order):
    client.force_login(other_customer)

    html = get(client, "/account/orders/").content.decode()

    assert order.reference not in html and "You have no orders yet." in html


def test_orders_filter_by_status(signed_in, customer, order, resistor, address, express):
    fill_cart(customer, (resistor, 210))
    second = place(customer, choices(address, express), key="second")
    order_cancel(order_id=second.pk, actor=customer, reason="Ordered twice")

    html = get(signed_in, "/account/orders/?status=cancelled").content.decode()

    assert second.reference in html and order.reference not in html


def test_orders_filter_by_po_number(signed_in, customer, order, resistor, address, express):
    fill_cart(customer, (resistor, 210))
    other = place(customer, choices(address, express, po_number="PO-9000"), key="second")

    html = get(signed_in, "/account/orders/?po_number=4711").content.decode()

    assert order.reference in html and other.reference not in html


def test_orders_filter_by_mpn(signed_in, customer, order, address, express):
    other = order_of_lines(customer, address, express, 1, "caps")

    html = get(signed_in, "/account/orders/?mpn=rc0603").content.decode()

    assert order.reference in html and other.reference not in html


def test_orders_filter_by_date_range(signed_in, customer, order, resistor, address, express):
    fill_cart(customer, (resistor, 210))
    old = place(customer, choices(address, express), key="second")
    Order.objects.filter(pk=old.pk).update(placed_at=timezone.now() - timedelta(days=40))
    since = (timezone.localdate() - timedelta(days=7)).isoformat()

    html = get(signed_in, f"/account/orders/?placed_from={since}").content.decode()

    assert order.reference in html and old.reference not in html


def test_a_wrong_date_says_how_to_write_it(signed_in, order):
    html = get(signed_in, "/account/orders/?placed_from=yesterday").content.decode()

    assert "Enter a date as YYYY-MM-DD, e.g. 2026-03-01." in html
    assert order.reference in html


def test_an_end_date_before_the_start_is_refused(signed_in, order):
    html = get(
        signed_in, "/account/orders/?placed_from=2026-03-10&placed_to=2026-03-01"
    ).content.decode()

    assert "The end date is before the start date." in html


def test_the_search_box_finds_a_reference(signed_in, customer, order, resistor, address, express):
    fill_cart(customer, (resistor, 210))
    other = place(customer, choices(address, express), key="second")

    html = get(signed_in, f"/account/orders/?q={order.reference.lower()}").content.decode()

    assert order.reference in html and other.reference not in html


def test_the_list_is_paginated_keeping_the_filters(signed_in, customer, address, express):
    for n in range(21):
        order_of_lines(customer, address, express, 1, f"k{n}")

    html = get(signed_in, "/account/orders/?status=awaiting_payment").content.decode()

    assert "Page 1 of 2" in html
    assert 'href="?status=awaiting_payment&amp;page=2"' in html


def test_the_list_takes_the_same_queries_for_many_orders(
    signed_in, customer, address, express, django_assert_max_num_queries
):
    for n in range(12):
        order_of_lines(customer, address, express, 2, f"k{n}")

    with django_assert_max_num_queries(4):
        response = get(signed_in, "/account/orders/")

    assert response.content.decode().count('class="order-row"') == 12


# --- an order's page --------------------------------------------------------------------------


def test_another_customers_order_is_not_found(client, other_customer, order):
    client.force_login(other_customer)

    assert get(client, f"/account/orders/{order.reference}/").status_code == 404
    assert get(client, f"/account/orders/{order.reference}/pdf/").status_code == 404
    assert post(client, f"/account/orders/{order.reference}/cancel/").status_code == 404
    assert post(client, f"/account/orders/{order.reference}/reorder/").status_code == 404


def test_the_order_page_shows_every_amount_and_copy(signed_in, order):
    html = get(signed_in, order.get_absolute_url()).content.decode()

    assert '<span class="mpn">RC0603FR-0710KL</span>' in html or "RC0603FR-0710KL</a>" in html
    assert '<td class="num unit-price">0.0061</td>' in html
    assert '<td class="num line-gross">1.04</td>' in html
    assert '<dd class="num vat">CNY 1.68</dd>' in html
    assert '<dd class="num amount-due"><strong>CNY 14.60</strong></dd>' in html
    assert '<dd class="po-number" translate="no">PO-4711</dd>' in html
    assert "VAT is computed per line, as on your VAT invoice." in html
    assert f'href="/account/orders/{order.reference}/pdf/"' in html


def test_the_line_copy_stays_when_the_catalog_changes(signed_in, order, resistor):
    resistor.mpn = "RC0603FR-0710KL-NEW"
    resistor.save()

    html = get(signed_in, order.get_absolute_url()).content.decode()

    assert '">RC0603FR-0710KL</a>' in html and ">RC0603FR-0710KL-NEW<" not in html


def test_the_order_page_shows_the_invoice_details(signed_in, customer, resistor, address, express):
    InvoiceDetailsFactory(user=customer, company_title="深圳市优创电子有限公司")
    fill_cart(customer, (resistor, 150))
    order = place(customer, choices(address, express, invoice_kind="ordinary"))

    html = get(signed_in, order.get_absolute_url()).content.decode()

    assert (
        'Ordinary VAT invoice (普通发票)<br><span translate="no">'
        "深圳市优创电子有限公司 · 91110000600037341L"
    ) in html


def test_the_timeline_says_who_did_what_and_why(signed_in, customer, order):
    order_cancel(order_id=order.pk, actor=customer, reason="Ordered twice")

    html = get(signed_in, order.get_absolute_url()).content.decode()

    assert '<span class="who">You</span> · <span class="what">Placed</span>' in html
    assert (
        '<span class="who">You</span> · <span class="what">Awaiting payment → Cancelled</span>'
        ' · <span class="why" translate="no">Ordered twice</span>' in html
    )


def test_the_payments_are_listed(signed_in, order):
    Payment.objects.create(
        order=order,
        method=PaymentMethod.BANK_TRANSFER,
        amount=Decimal("14.60"),
        currency="CNY",
        status=PaymentStatus.PENDING,
        provider_reference="BOC-2026-0001",
    )

    html = get(signed_in, order.get_absolute_url()).content.decode()

    assert "BOC-2026-0001" in html and "CNY 14.60</td><td>Pending</td>" in html


def test_the_page_takes_the_same_queries_for_many_lines(
    signed_in, customer, address, express, django_assert_max_num_queries
):
    order = order_of_lines(customer, address, express, 16, "many")

    # 9 for the order and its lines, payments and timeline; 1 for its value-added services.
    with django_assert_max_num_queries(10):
        response = get(signed_in, order.get_absolute_url())

    assert response.content.decode().count('class="order-line"') == 16


def test_the_page_works_without_the_payment_panel(signed_in, order):
    assert get(signed_in, order.get_absolute_url()).status_code == 200


# --- cancelling -------------------------------------------------------------------------------


def test_an_unpaid_order_can_be_cancelled_with_a_reason(signed_in, order, resistor):
    response = post(signed_in, f"/account/orders/{order.reference}/cancel/", {"reason": "Wrong"})

    order.refresh_from_db()
    assert response.status_code == 302 and order.status == OrderStatus.CANCELLED
    assert order.events.last().message == "Wrong"
    assert Stock.objects.get(part=resistor).reserved == 2000
    html = get(signed_in, order.get_absolute_url()).content.decode()
    assert f"Order {order.reference} is cancelled." in html and "Cancel order</button>" not in html


def test_an_unpaid_order_offers_cancel(signed_in, order):
    html = get(signed_in, order.get_absolute_url()).content.decode()

    assert "Cancel order</button>" in html


def test_a_paid_order_cannot_be_cancelled_by_the_customer(signed_in, order):
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID, paid_at=timezone.now())

    post(signed_in, f"/account/orders/{order.reference}/cancel/")

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    html = get(signed_in, order.get_absolute_url()).content.decode()
    assert (
        f"Order {order.reference} is paid; ask us to cancel it and we refund what you paid." in html
    )
    assert "Cancel order</button>" not in html


def test_cancelling_needs_a_post(signed_in, order):
    assert get(signed_in, f"/account/orders/{order.reference}/cancel/").status_code == 405


def test_own_stock_ordered_after_the_cut_off_ships_the_next_day(order, settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from orders.account.selectors import order_line_ship_date

    settings.ORDERS_SHIP_CUTOFF_HOUR = 16
    line = order.lines.first()
    order.placed_at = datetime(2026, 12, 2, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

    assert str(order_line_ship_date(order, line)) == "2026-12-03"
