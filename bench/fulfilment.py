"""Fulfilment benchmark: paid orders allocated per second by one Celery worker.

Run on throwaway PostgreSQL and Redis:

    .venv/bin/python scripts/run_tests.py --services-only -- .venv/bin/python bench/fulfilment.py

It migrates the empty database and builds the checkout benchmark's catalog (bench/checkout.py:
``--parts`` parts with a ladder and own stock), then for each scenario ``--orders`` buyers
with a ready cart of ``--lines`` lines, and places their orders through
``orders.checkout.services.order_place``, paid in full from the balance: each payment queues
``orders.fulfilment.tasks.order_allocate`` on the "fulfilment" queue of the real Redis (through
the outbox). Only then one worker starts (``celery -A shop worker --queues fulfilment --pool
solo``, as docker-compose.yml runs it) and works the queue down. The figure is the rate
between the first and the last allocation (their ``allocated_at``), so the worker's start-up
is not counted; afterwards every order is checked to have exactly one allocation and one
own-stock pick list.

Scenarios: 5 lines from own stock; 20 lines of which the same 4 come from supplier offers
(a pick list and a purchase request per order).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import checkout as checkout_bench  # noqa: E402 - bench/checkout.py, on the path above


def place_paid(user_ids: list[int], method_id: int) -> list[int]:
    """Place each buyer's order, paid in full from the balance; returns the order ids."""
    from customers.models import Address, User
    from orders.checkout.services import CheckoutChoices, checkout_quote, order_place
    from orders.models import Cart, OrderStatus, PaymentMethod

    ids = []
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        address = Address.objects.filter(user=user).first()
        picked = CheckoutChoices(
            address_id=address.pk,
            shipping_method_id=method_id,
            payment_method=PaymentMethod.BALANCE,
        )
        cart = Cart.objects.get(customer=user, checked_out_at__isnull=True)
        quote = checkout_quote(customer=user, cart=cart, choices=picked)
        assert quote.can_place, (quote.errors, quote.problems)
        order = order_place(
            customer=user,
            choices=picked,
            idempotency_key=f"bench-{user.pk}",
            seen_token=quote.token,
        )
        assert order.status == OrderStatus.PAID, order.status
        ids.append(order.pk)
    return ids


def queue_length(name: str) -> int:
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(name)


def run_worker_until_done(order_ids: list[int], timeout: float) -> dict:
    from django.db.models import Max, Min

    from orders.models import OrderAllocation

    log = open(ROOT / "var" / "bench-fulfilment-worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shop",
            "worker",
            "--queues",
            "fulfilment",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"bench-fulfilment-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    started = time.monotonic()
    done = 0
    try:
        while time.monotonic() - started < timeout:
            done = OrderAllocation.objects.filter(order_id__in=order_ids).count()
            if done >= len(order_ids):
                break
            time.sleep(0.25)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    span = OrderAllocation.objects.filter(order_id__in=order_ids).aggregate(
        first=Min("allocated_at"), last=Max("allocated_at")
    )
    seconds = (span["last"] - span["first"]).total_seconds() if done > 1 else 0.0
    return {
        "allocated": done,
        "seconds": seconds,
        "rate": (done - 1) / seconds if seconds else 0.0,
    }


def check(order_ids: list[int]) -> list[str]:
    from django.db.models import Count

    from orders.models import Order

    problems = []
    rows = Order.objects.filter(pk__in=order_ids).annotate(
        pick_list_count=Count("pick_lists", distinct=True)
    )
    for order in rows:
        if order.pick_list_count != 1:
            problems.append(f"{order.reference}: {order.pick_list_count} pick lists")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=300, help="orders per scenario")
    parser.add_argument("--timeout", type=float, default=300.0, help="per scenario at most")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from catalog.models import Stock, Supplier, SupplierOffer
    from orders.models import PurchaseRequest, ShippingMethod, ShippingRate

    if settings.CELERY_TASK_ALWAYS_EAGER:
        raise SystemExit("needs Redis: run it through scripts/run_tests.py --services-only")
    started_at = datetime.now(UTC)
    load_before = os.getloadavg()
    call_command("migrate", verbosity=0)
    (ROOT / "var").mkdir(exist_ok=True)
    part_ids = checkout_bench.build_catalog(args.parts)
    method = ShippingMethod.objects.create(
        name="Express", carrier="SF Express", free_shipping_threshold=Decimal("500.00")
    )
    ShippingRate.objects.create(method=method, min_amount=Decimal("0.00"), fee=Decimal("12.00"))
    # Four parts only a supplier holds: their lines become purchase requests.
    supplier = Supplier.objects.create(name="Bench Distribution", code="bench-distribution")
    supplied = part_ids[:4]
    Stock.objects.filter(part_id__in=supplied).update(on_hand=0)
    SupplierOffer.objects.bulk_create(
        [
            SupplierOffer(part_id=pk, supplier=supplier, quantity=10_000_000, lead_days=5)
            for pk in supplied
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(" on ")[0]
    own_parts = part_ids[4:]

    rows = []
    scenarios = (
        ("5 lines, own stock", 5, []),
        ("20 lines, 4 from a supplier", 20, supplied),
    )
    for seed, (name, lines, hot) in enumerate(scenarios):
        users = checkout_bench.build_buyers(
            count=args.orders,
            part_ids=own_parts + list(hot),
            hot=hot,
            lines=lines,
            seed=seed,
        )
        t0 = time.perf_counter()
        order_ids = place_paid(users, method.pk)
        placing = time.perf_counter() - t0
        queued = queue_length("fulfilment")
        result = run_worker_until_done(order_ids, args.timeout)
        problems = check(order_ids)
        requests = PurchaseRequest.objects.filter(order_id__in=order_ids).count()
        rows.append((name, len(order_ids), queued, result, requests, problems))
        print(
            f"  {name}: placed {len(order_ids)} paid orders in {placing:.1f} s, {queued} tasks "
            f"queued; allocated {result['allocated']} in {result['seconds']:.1f} s = "
            f"{result['rate']:.1f}/s; {requests} purchase requests; problems {len(problems)}",
            flush=True,
        )

    load_after = os.getloadavg()
    print()
    print(f"Fulfilment benchmark, {started_at:%Y-%m-%d %H:%M} UTC")
    print(f"Machine: {checkout_bench.machine()}; {pg_version}")
    print(
        "Load average (1/5/15 min) before: "
        + " / ".join(f"{x:.2f}" for x in load_before)
        + "; after: "
        + " / ".join(f"{x:.2f}" for x in load_after)
    )
    print()
    print(
        "| scenario | orders | tasks queued | allocated | seconds | allocations/s "
        "| purchase requests | problems |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, count, queued, result, requests, problems in rows:
        print(
            f"| {name} | {count} | {queued} | {result['allocated']} | {result['seconds']:.1f} "
            f"| {result['rate']:.1f} | {requests} | {len(problems)} |"
        )


if __name__ == "__main__":
    main()
