"""Notifications benchmark: messages one worker sends per second, and the outbox relay's lag.

Run on throwaway PostgreSQL and Redis:

    .venv/bin/python scripts/run_tests.py --services-only -- .venv/bin/python bench/notifications.py

It migrates the empty database, makes ``--customers`` customers and starts a real SMTP server
(aiosmtpd, in this process) that accepts every message. Then:

1. **writing**: ``--messages`` customer messages are written through
   ``customers.notifications.notify`` (render the kind's templates, insert the row, queue its
   email through the outbox and publish it to Redis), timed in this process, with no worker
   running yet.
2. **sending**: one ``celery -A shop worker --queues notifications --concurrency 1`` is
   started and sends the queued emails by SMTP. The rate is messages over the time between
   the first and the last ``email_sent_at`` (the worker's start-up is not counted).
3. **relay lag under load**: ``--writers`` processes write outbox rows for ``--seconds`` as
   if the broker had refused their publish (the row only, ``OUTBOX_CLAIM_SECONDS=0``), each
   carrying a real message's email, while ``manage.py relay_outbox --loop`` publishes them
   and the worker sends them. Lag is ``dispatched_at - created_at`` of each row.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("OUTBOX_CLAIM_SECONDS", "0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SMTP_PORT = int(os.environ.setdefault("BENCH_SMTP_PORT", str(free_port())))
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{SMTP_PORT}"


def machine() -> str:
    model = "unknown CPU"
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                model = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc), {model}, CPython {platform.python_version()}, "
        f"load average {load}"
    )


class Sink:
    """aiosmtpd handler that counts what it accepted."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def make_customers(n: int) -> list[int]:
    from customers.models import CustomerProfile, User

    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.com", password="!", is_active=True) for i in range(n)
    )
    CustomerProfile.objects.bulk_create(CustomerProfile(user=user) for user in users)
    return [user.pk for user in users]


def tell(customer, n: int):
    from types import SimpleNamespace

    from customers.models import NotificationKind
    from customers.notifications import notify

    order = SimpleNamespace(reference=f"SO-B{n:06d}", po_number="PO-BENCH")
    return notify(
        customer=customer,
        kind=NotificationKind.ORDER_SHIPPED,
        dedup_key=f"bench-shipped:{n}",
        context={"order": order, "carrier": "SF Express", "tracking_number": f"SF{n:010d}"},
        link=f"/account/orders/{order.reference}/",
    )


def spawn(command: list[str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=os.environ.copy(), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def writer(customer_ids: list[int], start: int, seconds: float, queue) -> None:
    """Write messages and their outbox rows as if the publish had failed: the relay's work."""
    import django

    django.setup()
    from django.db import connection, transaction

    from customers.models import EmailDelivery, Notification
    from shop.outbox import outbox_message_add

    written, n, deadline = 0, start, time.monotonic() + seconds
    while time.monotonic() < deadline:
        with transaction.atomic():
            message = Notification.objects.create(
                customer_id=customer_ids[n % len(customer_ids)],
                kind="order_shipped",
                dedup_key=f"bench-lag:{n}",
                subject=f"Order SO-L{n:06d} has shipped",
                body_text="Your order is on its way.\n",
                email_status=EmailDelivery.PENDING,
            )
            outbox_message_add(
                task_name="customers.tasks.deliver_notification_email",
                kwargs={"notification_id": message.pk},
            )
        written += 1
        n += 1
    connection.close()
    queue.put(written)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--logs", type=Path, default=ROOT / "var" / "bench-notifications")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        sys.exit("needs DATABASE_URL and REDIS_URL: run through scripts/run_tests.py")
    args.logs.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    import logging

    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max, Min

    from customers.models import EmailDelivery, Notification, User
    from shop.models import OutboxMessage

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command log
    call_command("migrate", verbosity=0)
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    customer_ids = make_customers(args.customers)
    customers = list(User.objects.filter(pk__in=customer_ids).order_by("pk"))

    print(f"# Notifications benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}")
    print()

    # 1. writing
    began = time.perf_counter()
    for n in range(args.messages):
        tell(customers[n % len(customers)], n)
    wrote = time.perf_counter() - began
    print("| step | messages | seconds | per second |")
    print("|---|---:|---:|---:|")
    print(f"| notify() in one process (render, insert, outbox, publish) | {args.messages:,} | "
          f"{wrote:.1f} | {args.messages / wrote:,.0f} |")

    # 2. sending, one worker
    worker = spawn(
        [sys.executable, "-m", "celery", "-A", "shop", "worker", "--queues", "notifications",
         "--concurrency", "1", "--pool", "prefork", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"],
        args.logs / "worker.log",
    )
    relay = None
    try:
        sent = Notification.objects.filter(email_status=EmailDelivery.SENT)
        if not wait_until(lambda: sent.count() >= args.messages, timeout=1800):
            sys.exit(f"worker sent only {sent.count()}; see {args.logs / 'worker.log'}")
        span = sent.aggregate(first=Min("email_sent_at"), last=Max("email_sent_at"))
        seconds = (span["last"] - span["first"]).total_seconds()
        print(f"| one worker sends by SMTP (concurrency 1) | {args.messages:,} | "
              f"{seconds:.1f} | {args.messages / seconds:,.0f} |")
        print(f"\nSMTP server accepted {sink.count:,} messages "
              f"(every message once: {sink.count == args.messages}).\n")

        # 3. relay lag under load
        relay = spawn(
            [sys.executable, "manage.py", "relay_outbox", "--loop", "--interval", "0.3"],
            args.logs / "relay.log",
        )
        time.sleep(3)  # the relay's start-up
        started_at = datetime.now(UTC)
        queue = mp.get_context("spawn").Queue()
        writers = [
            mp.get_context("spawn").Process(
                target=writer, args=(customer_ids, 10_000_000 * (i + 1), args.seconds, queue)
            )
            for i in range(args.writers)
        ]
        for process in writers:
            process.start()
        written = sum(queue.get() for _ in writers)
        for process in writers:
            process.join()
        rows = OutboxMessage.objects.filter(
            created_at__gte=started_at, task_name="customers.tasks.deliver_notification_email"
        )
        wait_until(lambda: not rows.filter(dispatched_at__isnull=True).exists(), timeout=600)
        lags = [
            (dispatched - created).total_seconds()
            for created, dispatched in rows.filter(dispatched_at__isnull=False).values_list(
                "created_at", "dispatched_at"
            )
        ]
        lagging = rows.filter(dispatched_at__isnull=True).count()
        wait_until(lambda: sent.count() >= args.messages + written, timeout=600)
        print(f"Relay under load: {args.writers} writers for {args.seconds:.0f} s wrote "
              f"{written:,} messages ({written / args.seconds:,.0f}/s) as rows for the relay, "
              "the worker sending meanwhile.\n")
        print("| rows | relay lag p50 s | p95 s | max s | not dispatched | sent by the worker |")
        print("|---:|---:|---:|---:|---:|---:|")
        print(f"| {written:,} | {statistics.median(lags):.2f} | {percentile(lags, 95):.2f} | "
              f"{max(lags):.2f} | {lagging} | {sent.count() - args.messages:,} |")
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if relay is not None:
            stop(relay)
        stop(worker)
        smtp.stop()


if __name__ == "__main__":
    main()
