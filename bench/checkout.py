"""Checkout benchmark: orders placed per second by concurrent buyers, and the order-page read.

Run on throwaway PostgreSQL and Redis:

    .venv/bin/python scripts/run_tests.py --services-only -- .venv/bin/python bench/checkout.py

It migrates the empty database, builds a catalog (``--parts`` parts, each with a 4-break
cut-tape ladder and own stock), one shipping method, and buyers with an address, a balance
and a ready cart of ``--lines`` lines each (one buyer per order: a customer has one open cart).
Every buyer's quote is taken before the clock starts, as the review page would have. Then
``--clients`` processes (each its own database connection) place orders through
``orders.checkout.services.order_place`` for ``--seconds`` or until ``--orders`` orders are
placed, whichever comes first; a scenario's figure is the median of ``--runs`` runs. Each
order pays 50.00 from the balance and the rest by bank transfer, so it also debits the ledger
and records a payment. Besides the wall-clock rate, the CPU each order cost is reported
(client processes from getrusage, their PostgreSQL backends from /proc): on a shared machine
it varies far less than orders per second.

Scenarios: carts of random parts; carts that all hold the same 5 parts (plus random others),
so every order queues on the same stock rows — afterwards the stock of those parts is checked
against the order lines (no oversell, nothing negative). Then the customer's order page,
rendered in-process by Django's test client as its owner would fetch it.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Pages render without collectstatic's manifest.
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

LADDER = ((1, Decimal("0.0500")), (100, Decimal("0.0310")), (1000, Decimal("0.0190")))
LADDER_LAST = (5000, Decimal("0.0120"))
HOT_PARTS = 5


def machine() -> str:
    model = "unknown CPU"
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                model = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        memory = "? GiB"
    return f"{os.cpu_count()} CPUs (nproc), {model}, {memory}, CPython {platform.python_version()}"


def build_catalog(parts: int) -> list[int]:
    from catalog.models import (
        Category,
        Manufacturer,
        PackagingKind,
        PackagingOption,
        Part,
        PriceBreak,
        Stock,
        normalize_mpn,
    )
    from catalog.services import part_listing_refresh

    maker, _ = Manufacturer.objects.get_or_create(name="Bench Semi", slug="bench-semi")
    category = Category.objects.filter(slug="bench-ics").first() or Category.objects.create(
        name="Bench ICs", slug="bench-ics"
    )
    rows = [
        Part(
            mpn=f"BNC{n:05d}-TR",
            normalized_mpn=normalize_mpn(f"BNC{n:05d}-TR"),
            manufacturer=maker,
            category=category,
            package="SOIC-8",
            description="Benchmark part",
        )
        for n in range(parts)
    ]
    Part.objects.bulk_create(rows, batch_size=1000)
    ids = list(Part.objects.filter(category=category).order_by("pk").values_list("pk", flat=True))
    options = PackagingOption.objects.bulk_create(
        [PackagingOption(part_id=pk, kind=PackagingKind.CUT_TAPE) for pk in ids], batch_size=1000
    )
    PriceBreak.objects.bulk_create(
        [
            PriceBreak(packaging=option, min_quantity=quantity, unit_price=price)
            for option in options
            for quantity, price in (*LADDER, LADDER_LAST)
        ],
        batch_size=2000,
    )
    Stock.objects.bulk_create([Stock(part_id=pk, on_hand=1_000_000) for pk in ids], batch_size=1000)
    part_listing_refresh(part_ids=ids)
    return ids


def build_buyers(*, count: int, part_ids: list[int], hot: list[int], lines: int, seed: int):
    """``count`` customers, each with an address, 1,000.00 of balance and a cart of ``lines``
    lines (the ``hot`` parts first when given); returns their user ids."""
    from customers.models import Address, BalanceEntry, BalanceEntryKind, CustomerProfile, User
    from orders.models import Cart, CartLine

    rng = random.Random(seed)
    stamp = f"{seed}-{time.monotonic_ns()}"
    users = User.objects.bulk_create(
        [User(email=f"buyer-{stamp}-{n}@bench.example", password="!") for n in range(count)]
    )
    CustomerProfile.objects.bulk_create(
        [CustomerProfile(user=u, balance=Decimal("1000.00")) for u in users]
    )
    BalanceEntry.objects.bulk_create(
        [
            BalanceEntry(
                user=u,
                amount=Decimal("1000.00"),
                kind=BalanceEntryKind.TOP_UP,
                balance_after=Decimal("1000.00"),
                idempotency_key=f"bench-{u.pk}",
            )
            for u in users
        ]
    )
    Address.objects.bulk_create(
        [
            Address(
                user=u,
                recipient="Li Wei",
                phone="+86 138 0000 0000",
                line1=f"{n} Keji Road",
                city="Shenzhen",
                region="Guangdong",
                postal_code="518057",
                country="CN",
                is_default=True,
            )
            for n, u in enumerate(users)
        ]
    )
    carts = Cart.objects.bulk_create([Cart(customer=u) for u in users])
    cold = [pk for pk in part_ids if pk not in set(hot)]
    cart_lines = []
    for cart in carts:
        picked = list(hot) + rng.sample(cold, lines - len(hot))
        rng.shuffle(picked)
        for pk in picked:
            quantity = rng.choice((5, 10, 25, 100, 250, 1000))
            cart_lines.append(CartLine(cart=cart, part_id=pk, quantity=quantity))
    CartLine.objects.bulk_create(cart_lines, batch_size=2000)
    return [u.pk for u in users]


def review(user_ids: list[int], method_id: int) -> list[tuple[int, str, object]]:
    """What each buyer saw on the review page: their choices and the quote's token."""
    from customers.models import Address, User
    from orders.checkout.services import CheckoutChoices, checkout_quote
    from orders.models import Cart, PaymentMethod

    reviewed = []
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        address = Address.objects.filter(user=user).first()
        picked = CheckoutChoices(
            address_id=address.pk,
            shipping_method_id=method_id,
            payment_method=PaymentMethod.BANK_TRANSFER,
            balance_amount=Decimal("50.00"),
        )
        cart = Cart.objects.get(customer=user, checked_out_at__isnull=True)
        quote = checkout_quote(customer=user, cart=cart, choices=picked)
        assert quote.can_place, (quote.errors, quote.problems)
        reviewed.append((user.pk, quote.token, picked))
    return reviewed


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process on this machine (a PostgreSQL backend), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _client(work, barrier, deadline_s, results):
    import resource

    import django
    from django.db import connection, connections

    django.setup()
    from customers.models import User
    from orders.checkout.services import order_place

    users = {u.pk: u for u in User.objects.filter(pk__in=[w[0] for w in work])}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    placed, errors, times = 0, [], []
    barrier.wait()
    own_cpu = resource.getrusage(resource.RUSAGE_SELF)
    db_cpu = _cpu_seconds(backend)
    started = time.perf_counter()
    for user_id, token, picked in work:
        if time.perf_counter() - started > deadline_s:
            break
        t0 = time.perf_counter()
        try:
            order_place(
                customer=users[user_id],
                choices=picked,
                idempotency_key=f"bench-{user_id}",
                seen_token=token,
            )
            placed += 1
        except Exception as exc:  # noqa: BLE001 - counted and shown
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        times.append(time.perf_counter() - t0)
    finished = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_SELF)
    python_cpu = after.ru_utime - own_cpu.ru_utime + after.ru_stime - own_cpu.ru_stime
    db_cpu = _cpu_seconds(backend) - db_cpu
    connections.close_all()
    results.put((placed, errors, started, finished, times, python_cpu, db_cpu))


def run_clients(reviewed, *, clients: int, seconds: float) -> dict:
    from django.db import connections

    connections.close_all()  # each client process opens its own connection
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(clients)
    results = ctx.Queue()
    shares = [reviewed[i::clients] for i in range(clients)]
    procs = [
        ctx.Process(target=_client, args=(share, barrier, seconds, results)) for share in shares
    ]
    for proc in procs:
        proc.start()
    got = [results.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
    placed = sum(g[0] for g in got)
    errors = [e for g in got for e in g[1]]
    wall = max(g[3] for g in got) - min(g[2] for g in got)
    times = sorted(t for g in got for t in g[4])
    return {
        "python_ms": sum(g[5] for g in got) / max(placed, 1) * 1000,
        "db_ms": sum(g[6] for g in got) / max(placed, 1) * 1000,
        "placed": placed,
        "errors": errors,
        "wall": wall,
        "rate": placed / wall if wall else 0.0,
        "median_ms": statistics.median(times) * 1000 if times else 0.0,
        "p95_ms": times[int(len(times) * 0.95) - 1] * 1000 if times else 0.0,
    }


def queries_per_order(part_ids, method_id, lines, *, show: bool = False) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from customers.models import User
    from orders.checkout.services import order_place

    ((user_id, token, picked),) = review(
        build_buyers(count=1, part_ids=part_ids, hot=[], lines=lines, seed=99), method_id
    )
    customer = User.objects.get(pk=user_id)
    with CaptureQueriesContext(connection) as captured:
        order_place(
            customer=customer,
            choices=picked,
            idempotency_key="bench-queries",
            seen_token=token,
        )
    if show:
        for n, query in enumerate(captured.captured_queries):
            print(f"{n:3d} {query['time']:>6} {query['sql'][:150]}")
    return len(captured.captured_queries)


def profile_place(part_ids, method_id, lines, *, count: int) -> None:
    """cProfile ``count`` orders placed one after the other (after one to warm up)."""
    import cProfile
    import pstats

    from customers.models import User
    from orders.checkout.services import order_place

    reviewed = review(
        build_buyers(count=count + 1, part_ids=part_ids, hot=[], lines=lines, seed=7), method_id
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=[r[0] for r in reviewed])}
    profiler = cProfile.Profile()
    for n, (user_id, token, picked) in enumerate(reviewed):
        if n == 1:
            profiler.enable()
        order_place(
            customer=users[user_id], choices=picked, idempotency_key="profile", seen_token=token
        )
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(str(ROOT), 40)
    stats.sort_stats("tottime").print_stats(25)


def order_page_reads(samples: int, seed: int) -> tuple[float, float, int]:
    """Render the customer's order page /account/orders/<ref>/ (the whole view: middleware,
    selectors, template) for random orders, as their owners; time each answer."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from orders.models import Order

    refs = list(Order.objects.values_list("reference", "customer_id"))
    users = get_user_model().objects.in_bulk({customer for _, customer in refs})
    clients: dict[int, Client] = {}
    rng = random.Random(seed)
    times, queries = [], 0
    for n in range(samples):
        reference, customer_id = rng.choice(refs)
        client = clients.get(customer_id)
        if client is None:
            client = clients[customer_id] = Client()
            client.force_login(users[customer_id])
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                f"/account/orders/{reference}/", secure=True, HTTP_HOST="127.0.0.1"
            )
        times.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise SystemExit(f"order page {reference} answered {response.status_code}")
        if n == 0:
            queries = len(captured.captured_queries)
    times.sort()
    return (
        statistics.median(times) * 1000,
        times[int(len(times) * 0.95) - 1] * 1000,
        queries,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--orders", type=int, default=400, help="orders per run at most")
    parser.add_argument("--seconds", type=float, default=10.0, help="per run at most")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reads", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="cProfile 20 order_place calls")
    parser.add_argument("--show-queries", action="store_true", help="print one order's SQL")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F, Sum

    from catalog.models import Stock
    from orders.models import OrderLine, ShippingMethod, ShippingRate

    started_at = datetime.now(UTC)
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    part_ids = build_catalog(args.parts)
    method = ShippingMethod.objects.create(
        name="Express", carrier="SF Express", free_shipping_threshold=Decimal("500.00")
    )
    ShippingRate.objects.create(method=method, min_amount=Decimal("0.00"), fee=Decimal("12.00"))
    print(f"catalog of {len(part_ids):,} parts built in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(" on ")[0]
    rng = random.Random(31)
    hot = sorted(rng.sample(part_ids, HOT_PARTS))

    if args.profile:
        profile_place(part_ids, method.pk, args.lines, count=20)

    queries = queries_per_order(part_ids, method.pk, args.lines, show=args.show_queries)
    rows = []
    for name, hot_parts in (("random parts", []), (f"same {HOT_PARTS} parts in every cart", hot)):
        runs = []
        for run in range(args.runs):
            users = build_buyers(
                count=args.orders, part_ids=part_ids, hot=hot_parts, lines=args.lines, seed=run
            )
            reviewed = review(users, method.pk)
            result = run_clients(reviewed, clients=args.clients, seconds=args.seconds)
            runs.append(result)
            print(
                f"  {name}, run {run + 1}: {result['placed']} orders in {result['wall']:.1f} s = "
                f"{result['rate']:.1f}/s, CPU per order {result['python_ms']:.1f} ms Python + "
                f"{result['db_ms']:.1f} ms PostgreSQL, errors {len(result['errors'])}"
                + (f" (first: {result['errors'][0]})" if result["errors"] else ""),
                flush=True,
            )
        middle = sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]
        rows.append((name, middle, sum(len(r["errors"]) for r in runs)))

    # The hot parts after every run: reserved equals what the order lines took, nothing
    # negative, on hand never below reserved.
    stock_rows = []
    for pk in hot:
        stock = Stock.objects.get(part_id=pk)
        sold = OrderLine.objects.filter(part_id=pk).aggregate(s=Sum("from_stock"))["s"] or 0
        stock_rows.append((pk, stock.on_hand, stock.reserved, sold))
    oversold = Stock.objects.filter(reserved__gt=F("on_hand")).count()

    read_median, read_p95, read_queries = order_page_reads(args.reads, seed=5)

    print()
    print(f"Machine: {machine()}, {pg_version}; {started_at:%Y-%m-%d %H:%M} UTC.")
    print(
        f"Catalog {len(part_ids):,} parts; carts of {args.lines} lines; {args.clients} client "
        f"processes; runs of at most {args.orders} orders or {args.seconds:.0f} s; median of "
        f"{args.runs} runs. Queries per order_place: {queries}."
    )
    print()
    print(
        "| scenario | orders | seconds | orders/s | place median ms | place p95 ms | "
        "CPU ms per order (Python + PostgreSQL) | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r, errors in rows:
        print(
            f"| {name} | {r['placed']:,} | {r['wall']:.1f} | {r['rate']:.1f} | "
            f"{r['median_ms']:.0f} | {r['p95_ms']:.0f} | "
            f"{r['python_ms']:.1f} + {r['db_ms']:.1f} | {errors} |"
        )
    print()
    print("| hot part id | on hand | reserved | pieces on order lines | reserved = lines |")
    print("|---:|---:|---:|---:|---|")
    for pk, on_hand, reserved, sold in stock_rows:
        print(f"| {pk} | {on_hand:,} | {reserved:,} | {sold:,} | {reserved == sold} |")
    print(f"Stock rows with reserved > on hand: {oversold}.")
    print()
    print("| read | samples | median ms | p95 ms | queries |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| order page /account/orders/<ref>/, rendered in-process | {args.reads} | "
        f"{read_median:.1f} | {read_p95:.1f} | {read_queries} |"
    )


if __name__ == "__main__":
    main()
