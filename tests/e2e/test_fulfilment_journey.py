"""A paid order through the warehouse, in Chromium, with a real Celery worker: the customer
orders and pays from the balance, the worker allocates the order onto a pick list, staff
pick and ship it with a tracking number in the admin and mark it delivered, the beat job
(run by the worker) completes it, and the customer's order page shows every step. The
customer is told of the shipment and the delivery, in the inbox and by email."""

import os
import shutil
import sys
from contextlib import ExitStack
from decimal import Decimal

import pytest

from catalog.models import Stock
from customers import services as customer_services
from customers.models import BalanceEntryKind, Notification, NotificationKind, User
from orders.cart.services import CartOwner, cart_add_line
from orders.fulfilment import tasks as fulfilment_tasks
from orders.models import Order, OrderStatus, PickList
from shop.models import OutboxMessage
from tests.concurrency.test_outbox_faults import (
    RedisServer,
    _logs,
    _process_env,
    _spawn,
    _subjects,
    _wait_for,
)
from tests.customers.factories import PASSWORD, AddressFactory, CustomerFactory
from tests.e2e.test_checkout_journeys import PHONE, assert_no_sideways_scroll
from tests.factories import ShippingMethodFactory
from tests.orders.fulfilment_helpers import stocked_part
from tests.shop.outbox_helpers import publishing_to

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or not shutil.which("redis-server"),
        reason="needs redis-server and the services of scripts/run_tests.py",
    ),
]

QUEUES = "celery,orders,notifications,fulfilment"
TRACKING = "SF1400223344"


def _start_worker(stack, env, tmp_path):
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "shop",
        "worker",
        "--queues",
        QUEUES,
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"fulfilment-e2e-{os.getpid()}@%h",
    ]
    return _spawn(stack, command, env, tmp_path / "worker.log")


def _step_done(page, label: str) -> bool:
    return bool(page.all(f'.progress-steps li.step-done[data-step="{label}"]'))


def test_an_order_paid_in_the_browser_is_allocated_shipped_delivered_and_completed(
    page, browser, tmp_path, settings
):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    ShippingMethodFactory()
    mcu = stocked_part(
        "STM32F103C8T6", on_hand=500, bin_location="C-02-4", msl="3", esd=True, price="9.80"
    )
    buyer = CustomerFactory(email="buyer@acme-robotics.example")
    AddressFactory(user=buyer, is_default=True, recipient="Li Wei")
    customer_services.balance_credit(
        user=buyer,
        amount=Decimal("1000.00"),
        kind=BalanceEntryKind.ADJUSTMENT,
        idempotency_key="seed-balance",
    )
    cart_add_line(owner=CartOwner(customer=buyer), part_id=mcu.pk, quantity=20)
    staff = User.objects.create_superuser(email="ops@partline.example", password=PASSWORD)
    server = RedisServer(tmp_path)
    with ExitStack() as stack:
        server.start()
        stack.callback(server.stop)
        stack.enter_context(publishing_to(server.url, settings))
        _start_worker(stack, _process_env(tmp_path, server.url, mail_dir), tmp_path)

        # The customer orders and pays everything from the balance.
        page.sign_in(buyer.email, PASSWORD)
        page.open("/checkout/")
        page.css("input[name=payment_method][value=balance]").click()
        page.click_and_wait("button[name=action][value=review]")
        assert page.css("h1").text == "Review your order", page.text
        page.click_and_wait("form.place-order button[data-once]")
        order = Order.objects.get(customer=buyer)
        page.wait_for_path(f"/account/orders/{order.reference}/")
        assert order.status == OrderStatus.PAID

        # The worker allocates it: one pick list, the MCU in its bin.
        try:
            pick_list = _wait_for(
                lambda: PickList.objects.filter(order=order).first(),
                timeout=120,
                what="the worker to allocate the order",
            )
        except AssertionError:
            raise AssertionError(_logs(tmp_path)) from None
        assert [(line.bin_location, line.quantity) for line in pick_list.lines.all()] == [
            ("C-02-4", 20)
        ]
        page.open(order.get_absolute_url())
        assert _step_done(page, "Paid") and _step_done(page, "Picking")
        assert page.all('.progress-steps li.step-waiting[data-step="Shipped"] .expected')

        # Staff pick the list, then ship it with a tracking number, in the admin.
        browser.delete_all_cookies()
        page.open("/admin/login/?next=/admin/")
        page.fill("#id_username", staff.email)
        page.fill("#id_password", PASSWORD)
        page.click_and_wait("#login-form input[type=submit]")
        page.open(f"/admin/orders/order/{order.pk}/change/")
        page.click_and_wait(f'a[href="/admin/orders/picklist/{pick_list.pk}/change/"]')
        page.click_and_wait(f'a[href="/admin/orders/picklist/{pick_list.pk}/picked/"]')
        page.click_and_wait("#content form input[type=submit]")
        assert "is picked" in page.css(".messagelist").text
        page.click_and_wait(f'a[href="/admin/orders/shipment/ship/{order.pk}/"]')
        page.choose("#id_carrier", "SF Express")
        page.fill("#id_tracking_number", TRACKING)
        page.click_and_wait("#content form input[type=submit]")
        assert f"{order.reference} shipped with SF Express {TRACKING}." in page.css(
            ".messagelist"
        ).text
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED
        stock = Stock.objects.get(part=mcu)
        assert (stock.on_hand, stock.reserved) == (480, 0)

        # The carrier delivered it.
        page.click_and_wait(f'a[href="/admin/orders/shipment/deliver/{order.pk}/"]')
        page.click_and_wait("#content form input[type=submit]")
        order.refresh_from_db()
        assert order.status == OrderStatus.DELIVERED

        # The beat job, run by the worker, completes it.
        fulfilment_tasks.complete_orders.delay()
        _wait_for(
            lambda: Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED,
            timeout=120,
            what="the worker to complete the order",
        )

        # The customer's order page shows each step, with the tracking link.
        browser.delete_all_cookies()
        page.sign_in(buyer.email, PASSWORD, next_path=order.get_absolute_url())
        for label in ("Placed", "Paid", "Picking", "Shipped", "Delivered", "Completed"):
            assert _step_done(page, label), (label, page.css(".progress-steps").text)
        link = page.css(".progress-steps a.tracking-link").get_attribute("href")
        assert link == f"https://www.sf-express.com/chn/sc/waybill/waybill-detail/{TRACKING}"
        assert page.css(".order-status strong").text == "Completed"
        browser.set_window_size(*PHONE)
        try:
            browser.refresh()
            assert_no_sideways_scroll(browser, "the completed order's page")
        finally:
            browser.set_window_size(1280, 900)

        # Told in the inbox and by email, once each.
        kinds = set(Notification.objects.filter(customer=buyer).values_list("kind", flat=True))
        assert {NotificationKind.ORDER_SHIPPED, NotificationKind.ORDER_DELIVERED} <= kinds
        shipped, delivered = (
            f"Order {order.reference} has shipped",
            f"Order {order.reference} was delivered",
        )
        expected = {shipped, delivered}
        try:
            _wait_for(
                lambda: expected <= set(_subjects(mail_dir)), timeout=120, what="the emails"
            )
        except AssertionError:
            raise AssertionError(_logs(tmp_path) + str(_subjects(mail_dir))) from None
        subjects = _subjects(mail_dir)
        assert subjects.count(shipped) == 1 and subjects.count(delivered) == 1

        # The inbox lists both, and each email went through the outbox once.
        page.open("/account/messages/")
        inbox = page.css("main").text
        assert shipped in inbox and delivered in inbox, inbox
        told = Notification.objects.filter(
            customer=buyer,
            kind__in=[NotificationKind.ORDER_SHIPPED, NotificationKind.ORDER_DELIVERED],
        )
        emails = OutboxMessage.objects.filter(
            task_name="customers.tasks.deliver_notification_email",
            kwargs__notification_id__in=list(told.values_list("pk", flat=True)),
        )
        assert emails.count() == 2
        assert all(message.dispatched_at for message in emails)
