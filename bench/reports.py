"""Reports benchmark: behaviour-event ingestion, rollup rebuilds, and each report over a year.

Run on throwaway PostgreSQL and Redis:

    /work/main/.venv/bin/python scripts/run_tests.py --services-only -- \\
        /work/main/.venv/bin/python bench/reports.py

It migrates the empty database, then:

1. Ingestion: ``--ingest`` events buffered through ``customers.behaviour.event_record`` into
   the Redis list (what a page request pays), then written by ``events_flush`` (what the
   beat job pays), both as events per second.
2. Generates a year of data with ``INSERT … SELECT … generate_series`` (fast: no Python per
   row): ``--parts`` parts (60 % on hand, with a unit cost), ``--customers`` customers joined
   over 13 months (40 % issued the first-order coupon), ``--orders`` paid orders of 3 lines
   (the first order of each coupon holder uses it), and ``--events`` behaviour events over
   the 365 days (part views, searches — a tenth of them finding nothing —, category views,
   carts, quotes, checkouts, orders) from visitors with a source each.
3. Rebuilds the daily rollups of the 365 days (``reports.rollups.rollups_refresh``), as
   ``manage.py refresh_reports --days 365`` does, and one day as the beat job does; times
   the catalog counts (sell-through) and every customer's summary (cohorts) alone.
4. Times each report over the whole year: the selector alone and the admin page as staff
   see it (in-process test client, charts and tables), median of ``--runs``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)


def machine() -> str:
    model = "unknown CPU"
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                model = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc), {model}, CPython {platform.python_version()}"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def sql(statement: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.1f} s", flush=True)
    return result, seconds


# --- 1. ingestion -------------------------------------------------------------------------------


def ingest(count: int) -> tuple[float, float]:
    from customers import behaviour
    from customers.models import BehaviourEvent, EventKind
    from customers.sources import traffic_source

    behaviour.buffer().clear()
    source = traffic_source(
        referrer="https://www.baidu.com/s?wd=lm358", own_host="shop.example",
        params={}, path="/part/ti/LM358DR/",
    )  # fmt: skip
    started = time.perf_counter()
    for n in range(count):
        behaviour.event_record(
            kind=EventKind.PART_VIEW, visitor_id=f"{n // 5:016x}", part_id=n % 1000 + 1,
            source=source,
        )  # fmt: skip
    buffered = time.perf_counter() - started
    started = time.perf_counter()
    written = behaviour.events_flush()
    flushed = time.perf_counter() - started
    assert written == count == BehaviourEvent.objects.count(), (written, count)
    BehaviourEvent.objects.all().delete()
    return count / buffered, count / flushed


# --- 2. data ----------------------------------------------------------------------------------


def _clone(table: str, model, template_id: int, overrides: dict[str, str], source: str) -> int:
    """INSERT INTO table SELECT <the template row's columns, some replaced> FROM source."""
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    select = ", ".join(overrides.get(column, f"t.{column}") for column in columns)
    return sql(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} "
        f"FROM {table} t, {source} WHERE t.id = {template_id}"
    )


def generate(*, parts: int, customers: int, orders: int, events: int, start: datetime) -> None:
    from decimal import Decimal

    from catalog.models import Category, Manufacturer, Part, Stock
    from customers.models import BehaviourEvent, User
    from orders.models import Order, OrderLine, OrderStatus, PaymentMethod
    from promotions.models import Coupon, CouponDefinition

    s = start.isoformat()
    categories = [
        Category.objects.create(name=f"Category {n}", slug=f"category-{n}") for n in range(60)
    ]
    makers = [
        Manufacturer.objects.create(name=f"Maker {n}", slug=f"maker-{n}") for n in range(40)
    ]
    c0, m0 = categories[0].pk, makers[0].pk
    part = Part.objects.create(mpn="TEMPLATE", manufacturer=makers[0], category=categories[0])
    timed(f"{parts:,} parts", lambda: _clone(
        "catalog_part", Part, part.pk,
        {"sku": "'B' || g", "mpn": "'BP' || g", "normalized_mpn": "'BP' || g",
         "manufacturer_id": f"{m0} + g % 40", "category_id": f"{c0} + (g * 7) % 60",
         "first_break_price": "(1 + g % 90) / 100.0",
         "stock_available": "CASE WHEN g % 10 < 6 THEN 100 + g % 5000 ELSE 0 END"},
        f"generate_series(1, {parts}) g",
    ))  # fmt: skip
    Part.objects.filter(pk=part.pk).delete()
    p0 = Part.objects.order_by("pk").values_list("pk", flat=True).first()
    timed("stock rows", lambda: sql(
        "INSERT INTO catalog_stock (part_id, on_hand, reserved, unit_cost, updated_at) "
        "SELECT id, stock_available, 0, round(first_break_price * 0.62, 6), now() "
        "FROM catalog_part WHERE stock_available > 0"
    ))  # fmt: skip
    assert Stock.objects.exists()
    user = User.objects.create_user(email="template@example.com", password=None)
    timed(f"{customers:,} customers", lambda: _clone(
        "customers_user", User, user.pk,
        {"email": "'bench' || g || '@example.com'",
         "date_joined": f"'{s}'::timestamptz - interval '30 days' + (g % 395) * interval '1 day'"},
        f"generate_series(1, {customers}) g",
    ))  # fmt: skip
    User.objects.filter(pk=user.pk).delete()
    u0 = User.objects.order_by("pk").values_list("pk", flat=True).first()
    definition = CouponDefinition.objects.create(
        name="Welcome", kind="fixed", amount=Decimal("30.00"), minimum_spend=Decimal("200"),
        first_order_only=True, is_first_order_coupon=True,
    )  # fmt: skip
    template = Coupon.objects.create(
        definition=definition, user_id=u0, code="TEMPLATE", is_first_order=True
    )
    holders = int(customers * 0.4)
    timed(f"{holders:,} first-order coupons", lambda: _clone(
        "promotions_coupon", Coupon, template.pk,
        {"user_id": f"{u0} + g", "code": "'B' || g",
         "issued_at": f"'{s}'::timestamptz + (g % 365) * interval '1 day'"},
        f"generate_series(1, {holders - 1}) g",
    ))  # fmt: skip
    order = Order.objects.create(
        reference="TEMPLATE", customer_id=u0, idempotency_key="t", request_fingerprint="t",
        status=OrderStatus.PAID, currency="CNY", vat_rate=Decimal("0"), recipient="R",
        phone="1", line1="L", city="C", subtotal=Decimal("1"), total=Decimal("1"),
        amount_due=Decimal("1"), amount_paid=Decimal("1"),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )  # fmt: skip
    line = OrderLine.objects.create(
        order=order, position=1, part_id=p0, mpn="BP1", manufacturer="Maker", quantity=1,
        unit_price=Decimal("1"), line_total=Decimal("1"), net=Decimal("1"), vat=Decimal("0"),
        gross=Decimal("1"), from_stock=1, from_suppliers=0,
    )  # fmt: skip
    # 3 lines per order; line net 10-509 CNY; parts drawn from a third of the catalog.
    net = "((g * 13 + {pos} * 7) % 500 + 10)::numeric"
    subtotal = " + ".join(net.format(pos=pos) for pos in (1, 2, 3))
    placed = f"'{s}'::timestamptz + (g % 365) * interval '1 day' + (g % 50000) * interval '1 s'"
    # customer: g spreads over every customer (7919 is prime); order g <= holders is the
    # first order of coupon holder g and uses the coupon.
    timed(f"{orders:,} paid orders", lambda: _clone(
        "orders_order", Order, order.pk,
        {"reference": "'B' || g", "idempotency_key": "'bench-' || g",
         "customer_id": f"{u0} + (g * 7919) % {customers}",
         "placed_at": placed, "paid_at": f"{placed} + interval '1 hour'",
         "updated_at": placed, "subtotal": subtotal, "total": subtotal,
         "amount_due": subtotal, "amount_paid": subtotal,
         "coupon_id": f"CASE WHEN g <= {customers} AND (g * 7919) % {customers} < {holders} THEN "
                      f"(SELECT id FROM promotions_coupon c WHERE c.user_id = "
                      f"{u0} + (g * 7919) % {customers}) END"},
        f"generate_series(1, {orders}) g",
    ))  # fmt: skip
    timed(f"{orders * 3:,} order lines", lambda: _clone(
        "orders_orderline", OrderLine, line.pk,
        {"order_id": "o.id", "position": "pos", "quantity": "10 + pos",
         "part_id": f"{p0} + ((g * 2654435761 + pos * 40503) % {max(parts // 3, 1)})",
         "unit_price": f"round({net.format(pos='pos')} / (10 + pos), 6)",
         "line_total": net.format(pos="pos"), "net": net.format(pos="pos"),
         "gross": net.format(pos="pos"), "from_stock": "10 + pos"},
        "(SELECT id, substr(reference, 2)::bigint AS g FROM orders_order "
        "WHERE reference LIKE 'B%') o, generate_series(1, 3) pos",
    ))  # fmt: skip
    OrderLine.objects.filter(pk=line.pk).delete()
    Order.objects.filter(pk=order.pk).delete()
    # Events: a visitor is 6 events of one day (g and g + 365 fall on the same day);
    # 15 % are customers; the visitor's source is one of ten.
    kinds = ("ARRAY['part_view','part_view','part_view','part_view','part_view','part_view',"
             "'part_view','part_view','part_view','part_view','part_view','search','search',"
             "'search','category_view','category_view','category_view','cart_add',"
             "'checkout_start','inquiry']")  # fmt: skip
    channels = ("ARRAY['search','search','search','ai','ai','campaign','referral','direct',"
                "'direct','direct']")  # fmt: skip
    sources = ("ARRAY['google','baidu','bing','chatgpt','deepseek','newsletter',"
               "'eevblog.example','','','']")  # fmt: skip
    chunk = 1_000_000
    for first in range(1, events + 1, chunk):
        last = min(first + chunk - 1, events)
        timed(f"events {first:,}-{last:,}", lambda first=first, last=last: sql(
            "INSERT INTO customers_behaviourevent (event_id, kind, occurred_at, customer_id, "
            "visitor_id, part_id, category_id, order_id, query, result_count, amount, channel, "
            "source, referrer_host, utm_source, utm_medium, utm_campaign, landing_path) "
            f"SELECT gen_random_uuid(), k, '{s}'::timestamptz + (g % 365) * interval '1 day' "
            "+ (g % 80000) * interval '1 s', "
            f"CASE WHEN (g / 2190) % 100 < 15 THEN {u0} + (g / 2190) % {customers} END, "
            "CASE WHEN (g / 2190) % 100 < 15 THEN '' "
            "ELSE substr(md5((g / 2190)::text), 1, 16) END, "
            f"CASE WHEN k = 'part_view' OR k = 'cart_add' THEN {p0} + g % {parts} END, "
            f"CASE WHEN k = 'category_view' THEN {c0} + g % 60 END, NULL, "
            "CASE WHEN k = 'search' THEN 'NOSUCH' || (g % 5000) ELSE '' END, "
            "CASE WHEN k = 'search' THEN CASE WHEN g % 10 = 0 THEN 0 ELSE 1 + g % 40 END END, "
            f"NULL, ({channels})[1 + (g / 2190) % 10], ({sources})[1 + (g / 2190) % 10], "
            "'', '', '', '', '' "
            f"FROM (SELECT g, ({kinds})[1 + (g * 7) % 20] AS k "
            f"FROM generate_series({first}, {last}) g) x"
        ))  # fmt: skip
    timed("order placed and paid events", lambda: sql(
        "INSERT INTO customers_behaviourevent (event_id, kind, occurred_at, customer_id, "
        "visitor_id, order_id, query, amount, channel, source, referrer_host, utm_source, "
        "utm_medium, utm_campaign, landing_path) "
        "SELECT gen_random_uuid(), k.kind, o.placed_at + k.delay, o.customer_id, '', o.id, '', "
        "o.total, '', '', '', '', '', '', '' FROM orders_order o, (VALUES ('order_placed', "
        "interval '0 s'), ('order_paid', interval '1 hour')) k(kind, delay)"
    ))  # fmt: skip
    sql("ANALYZE")
    print(f"  {BehaviourEvent.objects.count():,} events, {Order.objects.count():,} orders",
          flush=True)  # fmt: skip


# --- 3 and 4 -----------------------------------------------------------------------------------


def median_ms(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ingest", type=int, default=100_000)
    parser.add_argument("--parts", type=int, default=200_000)
    parser.add_argument("--customers", type=int, default=30_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from customers.models import User
    from reports import rollups, selectors

    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL: scripts/run_tests.py --services-only -- … bench/reports.py")
    print(f"{machine()}; PostgreSQL {connection.pg_version // 10000}; buffer "
          f"{settings.CUSTOMERS_EVENTS_BUFFER}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
          f"load {load()}", flush=True)  # fmt: skip
    call_command("migrate", verbosity=0)

    buffered, flushed = ingest(args.ingest)
    print(f"ingestion: {buffered:,.0f} events/s buffered (per request), "
          f"{flushed:,.0f} events/s written by the flush", flush=True)  # fmt: skip

    today = timezone.localdate()
    first_day = today - timedelta(days=364)
    start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    print("generating:", flush=True)
    _, generated = timed("all data", lambda: generate(
        parts=args.parts, customers=args.customers, orders=args.orders, events=args.events,
        start=start,
    ))  # fmt: skip
    print(f"load {load()}", flush=True)
    print("rollups:", flush=True)
    _, full = timed("365 days (refresh_reports --days 365)",
                    lambda: rollups.rollups_refresh(days=365, until=today))  # fmt: skip
    one_day, _ = median_ms(lambda: rollups.rollup_day_refresh(day=today - timedelta(days=3)),
                           args.runs)  # fmt: skip
    print(f"  one day (the beat job's unit): {one_day:,.0f} ms", flush=True)
    catalog_ms, _ = median_ms(lambda: rollups.part_groups_refresh(day=today), args.runs)
    print(f"  catalog counts of a day (each rebuild's last day): {catalog_ms:,.0f} ms", flush=True)
    customers_ms, summed = median_ms(rollups.customer_summaries_refresh, args.runs)
    print(f"  every customer's summary ({summed:,} customers, refresh_reports): "
          f"{customers_ms:,.0f} ms", flush=True)  # fmt: skip

    staff = User.objects.create_superuser(email="bench-staff@example.com", password="x")
    client = Client()
    client.force_login(staff)
    year = {"start": first_day.isoformat(), "end": today.isoformat()}
    cases = [
        ("funnel per day", lambda: selectors.funnel_report(start=first_day, end=today),
         "/admin/reports/funnel/", {**year, "grain": "day"}),
        ("funnel per week, one source", lambda: selectors.funnel_report(
            start=first_day, end=today, grain="week", source="search:google"),
         "/admin/reports/funnel/", {**year, "grain": "week", "source": "search:google"}),
        ("first-order coupon cohorts", lambda: selectors.cohort_report(
            start=first_day, end=today), "/admin/reports/cohorts/", year),
        ("sell-through by category", lambda: selectors.sell_through_report(
            start=first_day, end=today, today=today), "/admin/reports/sell-through/", year),
        ("sell-through by manufacturer", lambda: selectors.sell_through_report(
            start=first_day, end=today, by="manufacturer", today=today),
         "/admin/reports/sell-through/", {**year, "by": "manufacturer"}),
        ("what to list next", lambda: selectors.demand_report(start=first_day, end=today),
         "/admin/reports/demand/", year),
        ("promotion results", lambda: selectors.promotion_report(start=first_day, end=today),
         "/admin/reports/promotions/", year),
        ("customers", lambda: selectors.customer_report(start=first_day, end=today),
         "/admin/reports/customers/", year),
    ]  # fmt: skip
    print("\n| report (365 days) | selector | admin page | XLSX export |")
    print("|---|---:|---:|---:|")
    for label, build, url, params in cases:
        selector_ms, _ = median_ms(build, args.runs)
        page_ms, response = median_ms(lambda u=url, p=params: client.get(u, p), args.runs)
        assert response.status_code == 200, (url, response.status_code)
        xlsx_ms, response = median_ms(
            lambda u=url, p=params: client.get(u, {**p, "export": "xlsx"}), args.runs
        )
        assert response.status_code == 200
        print(f"| {label} | {selector_ms:,.0f} ms | {page_ms:,.0f} ms | {xlsx_ms:,.0f} ms |",
              flush=True)  # fmt: skip
    print(f"\ngenerated in {generated:.0f} s; rollups of 365 days in {full:.0f} s; "
          f"load {load()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
