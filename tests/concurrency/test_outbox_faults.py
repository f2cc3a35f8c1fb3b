"""The outbox against real faults: Redis stopped while customers order and ask for quotes,
and a worker killed in the middle of a task. A real redis-server and real
``celery -A shop worker`` / ``manage.py relay_outbox`` processes, on the test database."""

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from orders.models import Inquiry, Order
from orders.rfq.services import InquiryLineInput, inquiry_submit
from shop.models import OutboxMessage, TaskRun
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.factories import (
    PackagingOptionFactory,
    PartFactory,
    PriceBreakFactory,
    ShippingMethodFactory,
    StockFactory,
)
from tests.orders.checkout_helpers import choices, fill_cart, place
from tests.shop.helpers import ROOT, clean_env
from tests.shop.outbox_helpers import closed_port, publishing_to

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or not shutil.which("redis-server"),
        reason="needs redis-server and the services of scripts/run_tests.py",
    ),
]

QUEUES = "celery,orders,notifications,imports"


class RedisServer:
    """A redis-server of the test's own on a fixed port, to stop and start again."""

    def __init__(self, directory: Path):
        self.port = closed_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        _wait_for(lambda: _pings(client), timeout=10, what="redis-server to start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.exceptions.ConnectionError:
        return False


def _wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _process_env(tmp_path: Path, redis_url: str, mail_dir: Path, **extra) -> dict:
    """The environment a deployment gives the worker: the test database and our Redis."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database_url = f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.concurrency.worker_settings",
        SECRET_KEY="outbox-fault-tests-" + "k" * 40,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_FILE_PATH=str(mail_dir),
        LOG_FORMAT="plain",
        **extra,
    )


def _spawn(stack: ExitStack, command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start a process in its own group; the stack kills the group however the test ends."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # pool children left behind, if any
        process.wait(timeout=10)

    stack.callback(kill)
    return process


def _start_worker(stack, env, tmp_path) -> subprocess.Popen:
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
        "prefork",
        "--concurrency",
        "1",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"faults-{os.getpid()}@%h",
    ]
    return _spawn(stack, command, env, tmp_path / "worker.log")


def _start_relay(stack, env, tmp_path) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "relay_outbox", "--loop", "--interval", "0.3"]
    return _spawn(stack, command, env, tmp_path / "relay.log")


def _subjects(mail_dir: Path) -> list[str]:
    return sorted(
        line.removeprefix("Subject: ")
        for path in mail_dir.glob("*.log")
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    )


def _logs(tmp_path: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in tmp_path.glob("*.log"))


def _priced_part(mpn: str):
    part = PartFactory(mpn=mpn)
    option = PackagingOptionFactory(part=part)
    PriceBreakFactory(packaging=option, min_quantity=1, unit_price="0.500000")
    StockFactory(part=part, on_hand=1000)
    return part


def _order(part, express, number: int) -> Order:
    customer = CustomerFactory(email=f"buyer{number}@example.com")
    address = AddressFactory(user=customer, is_default=True)
    fill_cart(customer, (part, 10 * number))
    return place(customer, choices(address, express), key=f"form-{number}")


def _inquiry(number: int) -> Inquiry:
    return inquiry_submit(
        contact_name=f"Purchaser {number}",
        email=f"purchaser{number}@example.com",
        lines=[InquiryLineInput(mpn="STM32F103C8T6", quantity=1000 * number)],
        visitor_key=f"visitor-{number}",
        idempotency_key=f"rfq-{number}",
    )


def test_jobs_queued_while_redis_is_down_are_relayed_and_run_once(tmp_path, settings):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    CustomerFactory(email="sales@partline.example", is_staff=True)  # gets the quote requests
    part, express = _priced_part("LM358DR"), ShippingMethodFactory()
    server = RedisServer(tmp_path)
    with ExitStack() as stack:
        server.start()
        stack.callback(server.stop)
        stack.enter_context(publishing_to(server.url, settings))

        # given Redis stopped while two customers order and two purchasers ask for quotes
        server.stop()
        orders = [_order(part, express, number) for number in (1, 2)]
        inquiries = [_inquiry(number) for number in (1, 2)]

        # then the orders and inquiries are saved, and their emails wait in the outbox
        assert Order.objects.count() == 2 and Inquiry.objects.count() == 2
        jobs = OutboxMessage.objects.filter(
            task_name__in=[
                "orders.lifecycle.tasks.order_placed_email",
                "orders.rfq.tasks.inquiry_notify_staff",
            ]
        )
        assert jobs.count() == 4
        assert not OutboxMessage.objects.filter(dispatched_at__isnull=False).exists()

        # when Redis is back, with a relay and a worker running
        server.start()
        env = _process_env(tmp_path, server.url, mail_dir)
        _start_worker(stack, env, tmp_path)
        _start_relay(stack, env, tmp_path)

        # then every job is published and each email goes out once
        expected = sorted(
            [f"Order {order.reference} received" for order in orders]
            + [f"Quote request {inquiry.reference} (1 lines)" for inquiry in inquiries]
        )
        try:
            _wait_for(lambda: len(_subjects(mail_dir)) >= 4, timeout=40, what="four emails")
        except AssertionError:
            pytest.fail(f"emails: {_subjects(mail_dir)}\n{_logs(tmp_path)}")
        _wait_for(
            lambda: not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists(),
            timeout=10,
            what="the outbox to drain",
        )
        time.sleep(1)  # a second delivery, were there one, would have landed by now
        assert _subjects(mail_dir) == expected
        assert not Inquiry.objects.filter(staff_notified_at__isnull=True).exists()


def test_a_worker_killed_midway_runs_the_task_again_without_a_second_email(tmp_path, settings):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    flag = tmp_path / "sending"
    part, express = _priced_part("NE555DR"), ShippingMethodFactory()
    server = RedisServer(tmp_path)
    with ExitStack() as stack:
        server.start()
        stack.callback(server.stop)
        stack.enter_context(publishing_to(server.url, settings))
        env = _process_env(tmp_path, server.url, mail_dir, TEST_SLOW_MAIL_FLAG=str(flag))
        worker = _start_worker(stack, env, tmp_path)

        # given an order whose confirmation the worker is in the middle of sending
        order = _order(part, express, 1)
        message = OutboxMessage.objects.get(task_name="orders.lifecycle.tasks.order_placed_email")
        assert message.dispatched_at is not None  # published at once: the broker is up
        try:
            _wait_for(flag.exists, timeout=30, what="the worker to start sending")
        except AssertionError:
            pytest.fail(_logs(tmp_path))
        pool_child = int(_wait_for(lambda: flag.read_text().strip(), timeout=5, what="pid"))
        assert pool_child != worker.pid

        # when the process running the task is killed outright
        os.kill(pool_child, signal.SIGKILL)

        # then the task is delivered again (acks late) and the email goes out once
        try:
            _wait_for(lambda: _subjects(mail_dir), timeout=30, what="the email")
        except AssertionError:
            pytest.fail(_logs(tmp_path))
        time.sleep(1)
        assert _subjects(mail_dir) == [f"Order {order.reference} received"]
        assert TaskRun.objects.filter(task_id=message.task_id).count() == 1
        assert "WorkerLostError" in (tmp_path / "worker.log").read_text()
