"""Storefront benchmark: every page type under load, beside static file servers and targets.

Part pages (a crawler's walk, cached re-reads, 304s), filtered category pages (up to four
parameter filters and any sort in the two largest categories), category first pages, keyword
and partial-MPN search, the home page and a sitemap section, with nginx and python's
http.server serving a static 20 KB file in the same run as the yardstick. Rows are repeated
``--repeat`` times, interleaved, and the median run by req/s is printed. Before each run of
a store page the shared caches (search vocabulary, home counts, category facets) are marked
stale, so every run spans their rebuild: its p99/p50 shows whether a request paid for it.

Run with ``make bench-storefront`` (throwaway PostgreSQL and Redis; the part page rows clear
the cache, so point REDIS_URL at a database of its own when it is not throwaway). It loads the demo
catalog up to ``--parts`` parts (1,000,000 by default; an existing catalog of that size is
reused), serves it with gunicorn (2 sync workers, as on a 2-core machine), drives it with
wrk over random URLs, and prints a table. Server time per request comes from gunicorn's
access log (%(D)s, microseconds), so the load generator's own overhead is not counted.
"""

import argparse
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

WRK_LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

"""

# A crawler's walk: each wrk thread takes every other path of a shuffled list in turn, so no
# page is asked twice (the list must be longer than the requests of the run).
WRK_WALK_LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("first", counter)
  table.insert(threads, thread)
end
function init(args)
  position = first
end
request = function()
  local path = paths[position]
  position = position + 2
  if position > #paths then position = first end
  return wrk.format("GET", path)
end

"""

# Revalidation: a random page asked with the ETag it was last served with ("path<TAB>etag").
WRK_CONDITIONAL_LUA = """
local paths = {}
local etags = {}
for line in io.lines("%s") do
  local path, etag = line:match("([^\t]+)\t(.+)")
  paths[#paths + 1] = path
  etags[#etags + 1] = etag
end
math.randomseed(%d)
request = function()
  local i = math.random(#paths)
  return wrk.format("GET", paths[i], {["If-None-Match"] = etags[i]})
end

"""


# Appended to every script: the latency percentiles the table prints, in microseconds.
WRK_PERCENTILES_LUA = """
function done(summary, latency, requests)
  io.write(string.format("PERCENTILES %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_catalog(parts: int) -> float:
    """Load the demo catalog up to `parts` parts; returns seconds spent (0 if reused)."""
    from django.core.management import call_command

    from catalog.models import Part

    call_command("migrate", verbosity=0)
    existing = Part.objects.count()
    if existing >= parts:
        return 0.0
    started = time.monotonic()
    call_command("load_demo_catalog", parts=parts)
    return time.monotonic() - started


def sample_paths(count: int, seed: int) -> dict[str, list[str]]:
    from django.db.models import Max, Min

    from catalog.models import Part, mpn_slug
    from catalog.sitemaps import part_sections

    rng = random.Random(seed)
    bounds = Part.objects.aggregate(low=Min("id"), high=Max("id"))
    ids = sorted({rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)})
    part_paths = [
        f"/part/{slug}/{mpn_slug(mpn)}/"
        for slug, mpn in Part.objects.filter(id__in=ids).values_list("manufacturer__slug", "mpn")
    ][:count]
    sections = [n for n, _ in part_sections()]
    return {"part": part_paths, "sections": sections}


def start_gunicorn(port: int, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ)
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "shop.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync",
        "--access-logfile", str(log_path), "--access-logformat", "%(D)s %(s)s %(U)s",
        "--log-level", "warning", "--max-requests", "0",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def worker_rss_kb(server: subprocess.Popen) -> int:
    """Resident memory of the gunicorn workers (children of the master), in KB."""
    total = 0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            stat = (child / "stat").read_text().split()
            if int(stat[3]) == server.pid:
                status = (child / "status").read_text()
                total += int(status.split("VmRSS:")[1].split()[0])
        except (OSError, IndexError, ValueError):
            continue
    return total


def server_times(log_path: Path, start_line: int) -> tuple[list[float], dict[str, int]]:
    lines = log_path.read_text().splitlines()[start_line:]
    statuses: dict[str, int] = {}
    times = []
    for line in lines:
        fields = line.split()
        statuses[fields[1]] = statuses.get(fields[1], 0) + 1
        if fields[1] in ("200", "304"):
            times.append(int(fields[0]) / 1000)
    return times, statuses


def run_wrk(
    port: int, paths: list[str], seconds: int, connections: int, seed: int, mode: str = "random"
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths_file = Path(tmp) / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "random.lua"
        if mode == "walk":
            text = WRK_WALK_LUA % paths_file
        elif mode == "conditional":
            text = WRK_CONDITIONAL_LUA % (paths_file, seed)
        else:
            text = WRK_LUA % (paths_file, seed)
        script.write_text(text + WRK_PERCENTILES_LUA)
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout
    requests_per_second = float(output.split("Requests/sec:")[1].split()[0])
    non_2xx = 0
    if "Non-2xx or 3xx responses:" in output:
        non_2xx = int(output.split("Non-2xx or 3xx responses:")[1].split()[0])
    p50, p95, p99 = (int(v) / 1000 for v in output.split("PERCENTILES")[1].split()[:3])
    return {"rps": requests_per_second, "errors": non_2xx, "p50_ms": p50, "p95_ms": p95,
            "p99_ms": p99}


def warm_up(port: int, paths: list[str]) -> None:
    """Request every path once (4 at a time), so the measured run reads cached pages."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path: str) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, paths))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def etags_of(port: int, paths: list[str]) -> list[str]:
    """"path<TAB>ETag" of each page, as a revalidating client or CDN would send it back."""
    lines = []
    for path in paths:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            response.read()
            lines.append(f"{path}\t{response.headers['ETag']}")
    return lines


def measure(port, log_path, name, paths, seconds, connections, seed, *, mode="random",
            target="") -> dict:
    """One wrk run: req/s and latency percentiles as the client saw them (queueing
    included), and, for the store, its own time per request from gunicorn's access log."""
    start_line = len(log_path.read_text().splitlines()) if log_path and log_path.exists() else 0
    load = run_wrk(port, paths, seconds, connections, seed, mode)
    times, statuses = server_times(log_path, start_line) if log_path else ([], {})
    return {
        "name": name,
        "requests": len(times),
        "rps": load["rps"],
        "p50_ms": load["p50_ms"],
        "p95_ms": load["p95_ms"],
        "p99_ms": load["p99_ms"],
        "server_median_ms": statistics.median(times) if times else float("nan"),
        "server_p95_ms": percentile(times, 0.95) if times else float("nan"),
        "statuses": " ".join(f"{code}×{count:,}" for code, count in sorted(statuses.items())),
        "errors": load["errors"],
        "target": target,
    }


def median_row(runs: list[dict]) -> dict:
    """The run with the median req/s, with every run's req/s beside it."""
    row = dict(sorted(runs, key=lambda run: run["rps"])[len(runs) // 2])
    row["runs"] = " / ".join(f"{run['rps']:.0f}" for run in runs)
    return row


def time_sitemap(port: int, server: subprocess.Popen, section: int) -> dict:
    before = worker_rss_kb(server)
    started = time.monotonic()
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/sitemap-parts-{section}.xml", timeout=60
    ) as response:
        size = 0
        urls = 0
        while chunk := response.read(65536):
            size += len(chunk)
            urls += chunk.count(b"<url>")
    seconds = time.monotonic() - started
    after = worker_rss_kb(server)
    return {"section": section, "urls": urls, "bytes": size, "seconds": seconds,
            "rss_before_mb": before / 1024, "rss_after_mb": after / 1024}


def part_page_rows(port, log_path, args, walk_paths, popular) -> list[dict]:
    """Part pages as a crawler, a busy store and a revalidating CDN ask for them, each row
    run ``--repeat`` times (the median row is kept: the machine is shared)."""
    from django.core.cache import cache

    cold_runs, cached_runs, conditional_runs = [], [], []
    per_walk = len(walk_paths) // args.repeat
    for repeat in range(args.repeat):
        cache.clear()  # every page cold; each repeat walks pages no run asked before
        walk = walk_paths[repeat * per_walk : (repeat + 1) * per_walk]
        cold_runs.append(measure(
            port, log_path, f"part page, crawler's walk (each of {len(walk):,} asked once)",
            walk, args.seconds, args.connections, args.seed, mode="walk",
            target=">= 600 req/s, p99 <= 50 ms",
        ))
    warm_up(port, popular)
    tagged = etags_of(port, popular)
    for _repeat in range(args.repeat):
        cached_runs.append(measure(
            port, log_path, f"part page, cached re-read (random of {len(popular):,})",
            popular, args.seconds, args.connections, args.seed, target=">= 1,500 req/s",
        ))
        conditional_runs.append(measure(
            port, log_path, f"part page, If-None-Match answered 304 (random of {len(popular):,})",
            tagged, args.seconds, args.connections, args.seed, mode="conditional",
            target=">= 2,000 req/s",
        ))
    return [median_row(cold_runs), median_row(cached_runs), median_row(conditional_runs)]


def largest_categories(count: int) -> list[str]:
    from django.db.models import Count

    from catalog.models import Category

    return list(
        Category.objects.filter(children__isnull=True)
        .annotate(part_count=Count("parts"))
        .order_by("-part_count")
        .values_list("path", flat=True)[:count]
    )


def filtered_category_paths(categories: list[str], count: int, seed: int) -> list[str]:
    """Category URLs with one to four parameter filters (ranges over the values parts have,
    choices of one or two values), any sort, and a stock filter one time in five."""
    from urllib.parse import quote

    from catalog.models import Category, ParameterKind, ParameterValue

    rng = random.Random(seed)
    options = {}
    for path in categories:
        category = Category.objects.get(path=path)
        filters = {}
        for definition in category.parameters.filter(
            kind__in=[ParameterKind.NUMBER, ParameterKind.CHOICE]
        ):
            values = ParameterValue.objects.filter(definition=definition).order_by()
            if definition.kind == ParameterKind.NUMBER:
                seen = values.exclude(si_value=None).values_list("si_value", flat=True)
            else:
                seen = values.values_list("text", flat=True)
            filters[definition] = sorted(set(seen.distinct()))
        options[path] = {d: v for d, v in filters.items() if v}
    sorts = ["mpn", "-mpn", "price", "-price", "stock", "-stock"]
    urls = []
    for _ in range(count):
        path = rng.choice(categories)
        chosen = rng.sample(list(options[path]), k=min(len(options[path]), rng.randint(1, 4)))
        params = []
        for definition in chosen:
            values = options[path][definition]
            if definition.kind == ParameterKind.NUMBER:
                low, high = sorted(rng.sample(values, 2)) if len(values) > 1 else values * 2
                if rng.random() < 0.6:
                    params.append(f"{definition.key}_min={low:g}")
                if rng.random() < 0.6 or not params or params[-1].startswith(definition.key):
                    params.append(f"{definition.key}_max={high:g}")
            else:
                for text in rng.sample(values, k=min(len(values), rng.randint(1, 2))):
                    params.append(f"{definition.key}={quote(text)}")
        if rng.random() < 0.2:
            params.append("stock=1")
        params.append(f"sort={rng.choice(sorts)}")
        urls.append(f"/c/{path}/?" + "&".join(params))
    return urls


def partial_mpn_paths(count: int, seed: int) -> list[str]:
    """Searches for six characters from the middle of a random part's MPN."""
    from urllib.parse import quote

    from django.db.models import Max, Min

    from catalog.models import Part

    rng = random.Random(seed)
    bounds = Part.objects.aggregate(low=Min("id"), high=Max("id"))
    ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)]
    mpns = [m for m in Part.objects.filter(id__in=ids).values_list("normalized_mpn", flat=True)]
    fragments = []
    for mpn in mpns[:count]:
        start = max(0, (len(mpn) - 6) // 2)
        fragments.append(f"/search/?q={quote(mpn[start : start + 6])}")
    return fragments


STATIC_BYTES = 20 * 1024


def start_static_servers(directory: Path) -> tuple[list[subprocess.Popen], int, int]:
    """nginx (2 workers) and python -m http.server serving the same 20 KB file."""
    (directory / "static.html").write_bytes(b"<!doctype html><p>" + b"x" * (STATIC_BYTES - 18))
    nginx_port, python_port = free_port(), free_port()
    config = directory / "nginx.conf"
    config.write_text(
        f"daemon off; worker_processes 2; pid {directory}/nginx.pid;"
        f" error_log {directory}/nginx-error.log;"
        " events { worker_connections 1024; }"
        " http { access_log off; sendfile on; keepalive_requests 100000;"
        f" server {{ listen 127.0.0.1:{nginx_port}; root {directory}; }} }}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    servers = [
        subprocess.Popen([nginx, "-c", str(config), "-p", str(directory)]),
        subprocess.Popen(
            [sys.executable, "-m", "http.server", str(python_port), "--bind", "127.0.0.1",
             "--directory", str(directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ),
    ]
    for port in (nginx_port, python_port):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static.html", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
    return servers, nginx_port, python_port


def expire_shared_caches() -> None:
    """Mark the search vocabulary, the home page's counts and every category's facets stale,
    so the run that follows spans their rebuild (served stale meanwhile, rebuilt by one
    process in the background: catalog/refreshing.py)."""
    from catalog import refreshing
    from catalog.models import Category
    from catalog.search import VOCABULARY_CACHE_KEY
    from shop.selectors import HOME_CACHE_KEY

    keys = [VOCABULARY_CACHE_KEY, HOME_CACHE_KEY]
    keys += [f"category-facets:{pk}" for pk in Category.objects.values_list("pk", flat=True)]
    for key in keys:
        refreshing.mark_stale(key)


def met(row: dict, python_rps: float) -> str:
    """Whether a row meets its target (the targets of bench/RESULTS.md)."""
    name, checks = row["name"], []
    if name.startswith("part page, crawler"):
        checks = [row["rps"] >= 600, row["p99_ms"] <= 50, row["rps"] >= python_rps / 3]
    elif name.startswith("part page, cached"):
        checks = [row["rps"] >= 1500]
    elif name.startswith("part page, If-None-Match"):
        checks = [row["rps"] >= 2000]
    elif name.startswith("category, up to four"):
        checks = [row["p95_ms"] <= 100]
    elif name.startswith("search"):
        checks = [row["p50_ms"] <= 30]
    if not checks:
        return ""
    return "yes" if all(checks) else "no"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=30, help="wrk duration per run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs per row")
    parser.add_argument("--walk", type=int, default=40_000,
                        help="distinct part pages per crawler's walk (more than it asks)")
    parser.add_argument("--only-part-pages", action="store_true",
                        help="skip the category, search, home and sitemap rows")
    parser.add_argument("--only-categories", action="store_true",
                        help="only the category rows (and the static references)")
    parser.add_argument("--reuse", action="store_true",
                        help="read the database as it is: no migrate, load or ANALYZE")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (make bench-storefront does).")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk).")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from catalog import listing

    load_seconds = 0.0 if args.reuse else ensure_catalog(args.parts)
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        if not args.reuse:
            cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    from catalog.models import Category, Part

    part_count = Part.objects.count()
    paths = sample_paths(max(20_000, args.walk * args.repeat), args.seed)
    largest = largest_categories(2)
    largest_size = Part.objects.filter(category__path=largest[0]).count()
    filtered = filtered_category_paths(largest, 500, args.seed)
    # A walk of combinations, each asked once and none of the random 500: every page is a
    # first render (its rows may have been shown before on other pages).
    per_walk = max(3_000, args.seconds * 200)
    asked = set(filtered)
    filtered_walk = [
        url
        for url in dict.fromkeys(
            filtered_category_paths(largest, per_walk * args.repeat * 2, args.seed + 1)
        )
        if url not in asked
    ]
    leaves = list(Category.objects.filter(children__isnull=True).values_list("path", flat=True))
    first_pages = [f"/c/{path}/" for path in leaves]
    partial = partial_mpn_paths(200, args.seed)

    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    log_path = workdir / "access.log"
    server = start_gunicorn(port, log_path)
    statics, nginx_port, python_port = start_static_servers(workdir)
    sitemaps = []
    try:
        popular = paths["part"][-200:]
        rows = [] if args.only_categories else part_page_rows(
            port, log_path, args, paths["part"][:-200], popular
        )
        other = []
        if not args.only_part_pages:
            # Build the listing indexes as the beat job keeps them, then let each worker
            # read them once from the cache.
            connection.connect()
            listing.refresh_listing_indexes(paths=leaves)
            connection.close()
            warm_up(port, first_pages * 2 + filtered[:20])
            warm_up(port, ["/search/?q=capacitor"] + partial[:10] + ["/"])
            scenarios = [
                (f"category, up to four filters and any sort ({len(largest)} largest, "
                 f"{largest_size:,} parts), random of {len(filtered)}", port, filtered,
                 "p95 <= 100 ms"),
                (f"category, up to four filters and any sort, each combination asked once "
                 f"(a walk of {per_walk:,} per run)", port, filtered_walk, "p95 <= 100 ms"),
                (f"category, first page (random of {len(first_pages)})", port, first_pages, ""),
                ("search, keyword \"capacitor\"", port, ["/search/?q=capacitor"],
                 "p50 <= 30 ms"),
                (f"search, partial MPN (random of {len(partial)})", port, partial,
                 "p50 <= 30 ms"),
                ("home", port, ["/"], ""),
                ("static 20 KB file, nginx", nginx_port, ["/static.html"], ""),
                ("static 20 KB file, python http.server", python_port, ["/static.html"], ""),
            ]
            if args.only_categories:
                scenarios = [s for s in scenarios if s[0].startswith(("category", "static"))]
            runs: dict[str, list[dict]] = {name: [] for name, *_ in scenarios}
            for repeat in range(args.repeat):
                for name, target_port, scenario_paths, target in scenarios:
                    store = target_port == port
                    if store:
                        expire_shared_caches()
                        connection.close()
                    mode = "random"
                    if scenario_paths is filtered_walk:  # each run walks its own combinations
                        scenario_paths = filtered_walk[repeat * per_walk:(repeat + 1) * per_walk]
                        mode = "walk"
                    runs[name].append(measure(
                        target_port, log_path if store else None, name, scenario_paths,
                        args.seconds, args.connections, args.seed, mode=mode, target=target,
                    ))
            other = [median_row(runs[name]) for name, *_ in scenarios]
            sections = [] if args.only_categories else paths["sections"]
            if sections:
                sitemaps.append(time_sitemap(port, server, sections[len(sections) // 2]))
                sitemaps.append(
                    time_sitemap(port, server, sections[-2] if len(sections) > 1 else 0)
                )
        rows += other
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        for static in statics:
            static.terminate()
            static.wait(timeout=10)

    python_rps = next((r["rps"] for r in rows if r["name"].endswith("http.server")), 0.0)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        f"Storefront benchmark, {stamp}: {part_count:,} parts on PostgreSQL {pg_version}, "
        f"Redis cache, gunicorn 2 sync workers, wrk -t2 -c{args.connections} "
        f"{args.seconds}s per run, {args.repeat} interleaved runs per row (median by req/s), "
        f"on {os.cpu_count()} cores / {memory:.0f} GiB (load generator on the same machine). "
        "p50/p95/p99 as wrk saw them (queueing included); server ms from gunicorn's log.",
        "",
        "| page | req/s | runs req/s | p50 ms | p95 ms | p99 ms | p99/p50 | server median ms "
        "| statuses | target | met |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for row in rows:
        ratio = row["p99_ms"] / row["p50_ms"] if row["p50_ms"] else float("nan")
        lines.append(
            f"| {row['name']} | {row['rps']:,.0f} | {row.get('runs', '')} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {ratio:.1f} "
            f"| {row['server_median_ms']:.1f} | {row['statuses']} | {row['target']} "
            f"| {met(row, python_rps)} |"
        )
    if sitemaps:
        lines += [
            "",
            "| sitemap section | URLs | bytes | seconds | worker RSS before MB | after MB |",
            "|---|---:|---:|---:|---:|---:|",
        ]
    for item in sitemaps:
        lines.append(
            f"| /sitemap-parts-{item['section']}.xml | {item['urls']:,} | {item['bytes']:,} "
            f"| {item['seconds']:.2f} | {item['rss_before_mb']:.0f} | {item['rss_after_mb']:.0f} |"
        )
    if load_seconds:
        lines.append(f"\nCatalog loaded in {load_seconds:.0f} s before the run.")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"Benchmark process peak RSS {peak:.0f} MB.")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
