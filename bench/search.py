"""Search benchmark: server-side timings of search pages and autocomplete on 1M parts.

Run on a throwaway PostgreSQL + Redis::

    .venv/bin/python scripts/run_tests.py --services-only -- .venv/bin/python bench/search.py

It loads the demo catalog up to ``--parts`` parts (1,000,000 by default; an existing catalog of
that size is reused), builds a fixed list of 200 queries from the database (same catalog,
same queries), and times each one in-process: ``time.perf_counter`` around Django's test
``Client.get("/search/?q=…")`` — URL routing, middleware, the search, facets, the result page
and template rendering, and the search-log insert; the exact-match redirect is timed as it
happens. Autocomplete times ``catalog.search.suggestions`` with that query's cache entry
deleted first (the vocabulary cache stays warm, as it is in production). Each query runs once
for warm-up and then three times; its median is kept. Prints p50/p95/max per kind and the
EXPLAIN (ANALYZE, BUFFERS) plans of the main queries.

``--watch`` keeps the loaded catalog and re-runs the measurement (with ``catalog.search``
reloaded) each time ``var/bench-search.go`` is touched: for tuning without reloading 1M parts.
"""

import argparse
import importlib
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

TARGETS_MS = {
    "mpn exact": 50,
    "mpn partial": 50,
    "mpn suffixed": 50,
    "keyword": 150,
    "value": 150,
    "autocomplete": 30,
}
SUFFIXES = ("-ND", "CT-ND", "/TR", "#PBF")


def ensure_catalog(parts: int) -> float:
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
    if Part.objects.count() >= parts:
        return 0.0
    started = time.monotonic()
    call_command("load_demo_catalog", parts=parts, seed=1)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def build_queries() -> list[tuple[str, str]]:
    """200 (kind, query) pairs drawn deterministically from the catalog."""
    from catalog.models import ParameterValue, Part

    total = Part.objects.count()
    ids = list(Part.objects.order_by("id").values_list("id", flat=True)[:: max(total // 400, 1)])
    sample = list(
        Part.objects.filter(id__in=ids).select_related("category", "manufacturer").order_by("id")
    )
    queries: list[tuple[str, str]] = []
    for i, part in enumerate(sample[:40]):
        spelling = part.mpn.lower() if i % 3 == 1 else part.mpn
        if i % 3 == 2:
            spelling = part.mpn.replace("-", "")
        queries.append(("mpn exact", spelling))
    for part in sample[40:70]:
        n = part.normalized_mpn
        middle = n[2:8] if len(n) >= 9 else n[1:-1]
        queries.append(("mpn partial", middle))
    for i, part in enumerate(sample[70:90]):
        queries.append(("mpn suffixed", part.mpn + SUFFIXES[i % len(SUFFIXES)]))
    for part in sample[90:120]:
        words = [w for w in part.description.replace(",", " ").split() if w.isalpha()]
        queries.append(("keyword", " ".join(words[:2]) or part.category.name))
    values = {}
    for part_id, text in (
        ParameterValue.objects.filter(
            part_id__in=[p.id for p in sample[120:200]], definition__is_key=True
        )
        .order_by("part_id", "definition_id")
        .values_list("part_id", "text")
    ):
        values.setdefault(part_id, []).append(text)
    for part in sample[120:160]:
        texts = [t for t in values.get(part.id, []) if any(c.isdigit() for c in t)][:2]
        queries.append(("value", " ".join([*texts, part.package]).strip() or part.package))
    for i, part in enumerate(sample[160:200]):
        queries.append(("autocomplete", part.normalized_mpn[: 3 + i % 4]))
    return queries[:200]


def time_queries(queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    from django.core.cache import cache
    from django.test import Client

    from catalog import search
    from catalog.models import normalize_mpn, normalize_name

    client = Client()
    timings: dict[str, list[float]] = {}
    for kind, q in queries:
        runs = []
        for _ in range(4):
            if kind == "autocomplete":
                query = search.clean_query(q)[:60]
                cache.delete(f"search-suggest:{normalize_mpn(query)}:{normalize_name(query)}")
                started = time.perf_counter()
                search.suggestions(q)
            else:
                started = time.perf_counter()
                response = client.get("/search/", {"q": q})
                assert response.status_code in (200, 302), (q, response.status_code)
            runs.append((time.perf_counter() - started) * 1000)
        timings.setdefault(kind, []).append(statistics.median(runs[1:]))
    return timings


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def table(timings: dict[str, list[float]]) -> str:
    lines = [
        "| kind | queries | p50 ms | p95 ms | max ms | target p95 ms | met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for kind, target in TARGETS_MS.items():
        values = timings.get(kind, [])
        if not values:
            continue
        p95 = percentile(values, 95)
        lines.append(
            f"| {kind} | {len(values)} | {percentile(values, 50):.1f} | {p95:.1f} | "
            f"{max(values):.1f} | {target} | {'yes' if p95 <= target else 'NO'} |"
        )
    return "\n".join(lines)


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        lines = (row[0] for row in cursor.fetchall())
        return "\n".join(line if len(line) < 200 else line[:200] + " …" for line in lines)


def plans(queries: list[tuple[str, str]]) -> str:
    """Plans of the main queries, for the first query of each kind."""
    from catalog import fuzzy, search
    from catalog.models import Part, normalize_mpn

    def first(kind):
        return next(q for k, q in queries if k == kind)

    cap = search.CANDIDATE_CAP + 1
    sections = []

    def add(title, queryset):
        sql, params = queryset.query.sql_with_params()
        sections.append(f"### {title}\n\n```\n{explain(sql, params)}\n```")

    exact = normalize_mpn(first("mpn exact"))
    add(f"Exact MPN ({exact})", Part.objects.filter(normalized_mpn=exact)[:20])
    partial = normalize_mpn(first("mpn partial"))
    add(
        f"Prefix MPN candidates ({exact[:5]})",
        Part.objects.filter(normalized_mpn__startswith=exact[:5]).values("pk")[:cap],
    )
    outcome = search.search(partial)
    if outcome.parts is not None:
        add(f"Contains MPN candidates ({partial})", outcome.parts.order_by().values("pk")[:cap])
        candidates = search.ranked(outcome.parts, outcome)
        add(
            f"Result page of the partial MPN ({partial}): 50 ranked ids",
            search.listing.with_listing_columns(Part.objects.filter(pk__in=candidates.ids[:50])),
        )
    typo = exact[:3] + exact[4] + exact[3] + exact[5:]
    sections.append(
        f"### Trigram did-you-mean ({typo})\n\n```\n"
        + explain(
            "SELECT id, normalized_mpn, similarity(normalized_mpn, %s) AS s FROM catalog_part"
            " WHERE normalized_mpn %% %s AND similarity(normalized_mpn, %s) >= %s"
            " ORDER BY s DESC, normalized_mpn LIMIT 8",
            (typo, typo, typo, fuzzy.MIN_SIMILARITY),
        )
        + "\n```"
    )
    for kind in ("keyword", "value"):
        q = first(kind)
        outcome = search.search(q)
        if outcome.parts is not None:
            add(
                f"{kind.title()} candidates ({q!r}, {outcome.kind})",
                outcome.parts.order_by().values("pk")[:cap],
            )
    return "\n\n".join(sections)


def measure(loaded_seconds: float) -> str:
    from django.db import connection

    from catalog.models import Part

    queries = build_queries()
    timings = time_queries(queries)
    print(table(timings), flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    header = (
        f"Machine: {os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}, PostgreSQL {server}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Catalog: {Part.objects.count():,} demo parts"
        + (f" (loaded in {loaded_seconds:.0f} s)" if loaded_seconds else "")
        + "."
    )
    sample = "\n".join(f"- {kind}: `{q}`" for kind, q in queries[::20])
    return f"{header}\n\n{table(timings)}\n\nSample queries:\n{sample}\n\n{plans(queries)}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", type=int, default=1_000_000)
    parser.add_argument("--watch", action="store_true")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic here: plain static URLs instead of the manifest (same rendering cost).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    loaded = ensure_catalog(args.parts)
    try:
        report = measure(loaded)
    except Exception as exc:
        if not args.watch:
            raise
        report = f"FAILED: {exc!r}"
    print(report, flush=True)
    if args.out:
        Path(args.out).write_text(report)
    trigger = ROOT / "var" / "bench-search.go"
    while args.watch:
        if trigger.exists():
            trigger.unlink()
            from django.urls import clear_url_caches

            from catalog import listing, search, views_search

            importlib.reload(listing)
            importlib.reload(search)
            importlib.reload(views_search)
            for name in ("catalog.urls", "shop.urls"):
                if name in sys.modules:
                    importlib.reload(sys.modules[name])
            clear_url_caches()
            try:
                report = measure(0)
            except Exception as exc:  # keep the loaded catalog alive
                report = f"FAILED: {exc!r}"
            print(report, flush=True)
            if args.out:
                Path(args.out).write_text(report)
        time.sleep(1)


if __name__ == "__main__":
    main()
