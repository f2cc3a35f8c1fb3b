"""BOM tool benchmark: reading, matching, pricing and ordering BOMs of 100 to 5,000 lines.

Run on a throwaway PostgreSQL + Redis::

    .venv/bin/python scripts/run_tests.py --services-only -- .venv/bin/python bench/bom.py

It loads the demo catalog up to ``--parts`` parts (100,000 by default; an existing catalog of
that size is reused) and builds, from the catalog, BOM files as customers send them: a CSV of
``--lines`` lines (100, 1,000 and 5,000 by default) where most lines name a part by its MPN
(some in lower case or with a distributor suffix, some with the manufacturer), a tenth give only
a value and a package, and a tenth name parts we do not list. Each size is timed in-process with
``time.perf_counter``, the median of three runs after a warm-up:

- read: ``orders.bom.reader.read_upload`` of the file's bytes (no database);
- match: ``services.bom_create`` (lines written, matched in batches of 100, alternates, priced);
- price: ``selectors.bom_priced`` (what every page and export of the BOM computes);
- page: the matched lines page, ``Client.get("/bom/<id>/")``, rendered;
- xlsx: the priced BOM exported as XLSX;
- cart: ``services.bom_add_to_cart`` into an empty cart;
- MiB: the peak of Python memory (``tracemalloc``) while reading and matching the file once,
  measured in a run of its own so the tracing does not slow the timed runs.

Prints one row per size with the times in milliseconds and the queries each step made.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

STEPS = ("read", "match", "price", "page", "xlsx", "cart")
SUFFIXES = ("-ND", "/TR", "#PBF")


def ensure_catalog(parts: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from catalog.models import Part

    if connection.vendor == "postgresql":  # a fresh throwaway server has no database yet
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    call_command("migrate", verbosity=0)
    if Part.objects.count() < parts:
        call_command("load_demo_catalog", parts=parts, seed=1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")


def bom_csv(lines: int) -> bytes:
    """A BOM of ``lines`` lines drawn deterministically from the catalog."""
    import csv
    import io

    from catalog.models import Part

    total = Part.objects.count()
    step = max(total // lines, 1)
    ids = list(Part.objects.order_by("id").values_list("id", flat=True)[::step][:lines])
    parts = Part.objects.filter(id__in=ids).select_related("manufacturer").order_by("id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Designator", "Value", "Footprint", "Qty", "MPN", "Manufacturer"])
    for number, part in enumerate(parts):
        designator = f"X{number + 1}"
        quantity = 1 + number % 8
        if number % 10 == 3:
            writer.writerow([designator, part.mpn, part.package, quantity, "", ""])
        elif number % 10 == 7:
            writer.writerow([designator, "", "", quantity, f"ZZ{number:05d}-NOPE", "Nobody"])
        else:
            mpn = part.mpn
            if number % 5 == 1:
                mpn = mpn.lower()
            elif number % 5 == 2:
                mpn += SUFFIXES[number % len(SUFFIXES)]
            maker = part.manufacturer.name if number % 2 else ""
            writer.writerow([designator, "", part.package, quantity, mpn, maker])
    return out.getvalue().encode("utf-8")


def timed(function, runs: int = 3) -> tuple[float, int, object]:
    """Median milliseconds of ``runs`` calls after one warm-up, queries of the last, result."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    function()
    times, result, queries = [], None, 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return statistics.median(times), queries, result


def peak_mib(function) -> float:
    """Peak MiB of Python allocations while ``function`` runs."""
    import tracemalloc

    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def measure(lines: int) -> tuple[dict[str, tuple[float, int]], float]:
    import secrets

    from django.test import Client

    from orders.bom import export, reader, selectors, services
    from orders.cart.services import CartOwner
    from orders.models import Bom, Cart

    data = bom_csv(lines)
    owner = CartOwner(session_key="bench-bom")
    results: dict[str, tuple[float, int]] = {}

    read_ms, read_queries, table = timed(lambda: reader.read_upload("bench.csv", data))
    results["read"] = (read_ms, read_queries)
    match_ms, match_queries, bom = timed(lambda: services.bom_create(owner=owner, table=table))
    results["match"] = (match_ms, match_queries)
    price_ms, price_queries, priced = timed(lambda: selectors.bom_priced(bom=bom))
    results["price"] = (price_ms, price_queries)

    client = Client()
    session = client.session
    session["orders.bom_key"] = "bench-bom"
    session.save()

    def page():
        response = client.get(f"/bom/{bom.pk}/")
        assert response.status_code == 200, response.status_code

    results["page"] = timed(page)[:2]
    results["xlsx"] = timed(lambda: export.bom_xlsx(priced))[:2]

    def to_cart():
        cart_owner = CartOwner(session_key=secrets.token_hex(8))
        return services.bom_add_to_cart(bom=bom, owner=cart_owner)

    results["cart"] = timed(to_cart)[:2]
    memory = peak_mib(
        lambda: services.bom_create(owner=owner, table=reader.read_upload("bench.csv", data))
    )
    Cart.objects.filter(session_key__regex=r"^[0-9a-f]{16}$").delete()
    Bom.objects.filter(session_key="bench-bom").delete()
    return results, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", type=int, default=100_000)
    parser.add_argument("--lines", type=int, nargs="*", default=[100, 1000, 5000])
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    # No collectstatic here: plain static URLs instead of the manifest (same rendering cost).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    ensure_catalog(args.parts)
    print(
        f"BOM tool on {connection.vendor}, {args.parts:,} parts, "
        f"{platform.processor() or platform.machine()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    header = f"{'lines':>6} | " + " | ".join(f"{step:>14}" for step in STEPS) + " |   MiB"
    print(header)
    print("-" * len(header))
    for lines in args.lines:
        results, memory = measure(lines)
        cells = " | ".join(f"{ms:8.0f} ms {queries:>3}q" for ms, queries in results.values())
        print(f"{lines:>6,} | {cells} | {memory:5.1f}", flush=True)


if __name__ == "__main__":
    main()
