"""Storefront benchmark: part pages, filtered category pages and a sitemap section under load.

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

    from catalog.models import Category, Manufacturer, ParameterDefinition, Part, mpn_slug
    from catalog.sitemaps import part_sections

    rng = random.Random(seed)
    bounds = Part.objects.aggregate(low=Min("id"), high=Max("id"))
    ids = sorted({rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)})
    part_paths = [
        f"/part/{slug}/{mpn_slug(mpn)}/"
        for slug, mpn in Part.objects.filter(id__in=ids).values_list("manufacturer__slug", "mpn")
    ][:count]
    leaves = list(Category.objects.filter(children__isnull=True).values_list("path", flat=True))
    makers = list(Manufacturer.objects.values_list("slug", flat=True))
    numeric = list(
        ParameterDefinition.objects.filter(kind="number", is_key=True).values_list(
            "category__path", "key"
        )
    )
    category_paths = []
    for _ in range(500):
        path = rng.choice(leaves)
        choice = rng.random()
        if choice < 0.4:
            category_paths.append(f"/c/{path}/?stock=1")
        elif choice < 0.7:
            category_paths.append(f"/c/{path}/?mfr={rng.choice(makers)}&sort=price")
        else:
            keys = [key for cat, key in numeric if cat == path] or ["x"]
            category_paths.append(f"/c/{path}/?{rng.choice(keys)}_min=1&stock=1&page=2")
    sections = [n for n, _ in part_sections()]
    return {"part": part_paths, "category": category_paths, "sections": sections}


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


def wrk_latency_ms(output: str, label: str) -> float:
    """A latency percentile from wrk --latency's distribution ("99%    12.34ms")."""
    for line in output.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[0] == label:
            value = fields[1]
            for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
                if value.endswith(unit):
                    return float(value[: -len(unit)]) * factor
    return float("nan")


def run_wrk(
    port: int, paths: list[str], seconds: int, connections: int, seed: int, mode: str = "random"
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths_file = Path(tmp) / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "random.lua"
        if mode == "walk":
            script.write_text(WRK_WALK_LUA % paths_file)
        elif mode == "conditional":
            script.write_text(WRK_CONDITIONAL_LUA % (paths_file, seed))
        else:
            script.write_text(WRK_LUA % (paths_file, seed))
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout
    requests_per_second = float(output.split("Requests/sec:")[1].split()[0])
    non_2xx = 0
    if "Non-2xx or 3xx responses:" in output:
        non_2xx = int(output.split("Non-2xx or 3xx responses:")[1].split()[0])
    return {
        "rps": requests_per_second,
        "errors": non_2xx,
        "p99_ms": wrk_latency_ms(output, "99%"),
    }


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
    start_line = len(log_path.read_text().splitlines()) if log_path.exists() else 0
    load = run_wrk(port, paths, seconds, connections, seed, mode)
    times, statuses = server_times(log_path, start_line)
    return {
        "name": name,
        "requests": len(times),
        "rps": load["rps"],
        "median_ms": statistics.median(times) if times else float("nan"),
        "p95_ms": percentile(times, 0.95) if times else float("nan"),
        "p99_ms": load["p99_ms"],
        "statuses": " ".join(f"{code}×{count:,}" for code, count in sorted(statuses.items())),
        "errors": load["errors"],
        "target": target,
    }


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

    def median_row(runs: list[dict]) -> dict:
        row = sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
        row["runs"] = " / ".join(f"{run['rps']:.0f}" for run in runs)
        return row

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=20, help="wrk duration per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs per part page row")
    parser.add_argument("--walk", type=int, default=40_000,
                        help="distinct part pages per crawler's walk (more than it asks)")
    parser.add_argument("--only-part-pages", action="store_true",
                        help="skip the category, older part page and sitemap rows")
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

    load_seconds = 0.0 if args.reuse else ensure_catalog(args.parts)
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        if not args.reuse:
            cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    from catalog.models import Part

    part_count = Part.objects.count()
    paths = sample_paths(max(20_000, args.walk * args.repeat), args.seed)
    connection.close()

    port = free_port()
    log_path = Path(tempfile.mkdtemp(prefix="bench-")) / "access.log"
    server = start_gunicorn(port, log_path)
    sitemaps = []
    try:
        popular = paths["part"][-200:]
        rows = part_page_rows(port, log_path, args, paths["part"][:-200], popular)
        if not args.only_part_pages:
            # The first render of a part page and a re-read of a page whose rendered body
            # is in the cache: a part page is read many times for each change.
            first = measure(port, log_path, "part page, first render (random of 20,000)",
                            paths["part"][:20_000], args.seconds, args.connections, args.seed)
            popular = paths["part"][-2000:]
            warm_up(port, popular)
            reread = measure(port, log_path, "part page, re-read (random of 2,000 cached pages)",
                             popular, args.seconds, args.connections, args.seed)
            # Category facets are cached per category on its last change; warm each once.
            warm_up(port, sorted({path.split("?")[0] for path in paths["category"]}))
            listing_row = measure(port, log_path, "category page with a filter, random",
                                  paths["category"], args.seconds, args.connections, args.seed)
            rows += [first, reread, listing_row]
            sections = paths["sections"]
            sitemaps.append(time_sitemap(port, server, sections[len(sections) // 2]))
            sitemaps.append(time_sitemap(port, server, sections[-2] if len(sections) > 1 else 0))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        f"Storefront benchmark, {stamp}: {part_count:,} parts on PostgreSQL {pg_version}, "
        f"Redis cache, gunicorn 2 sync workers, wrk -t2 -c{args.connections} "
        f"{args.seconds}s per row, on {os.cpu_count()} cores / {memory:.0f} GiB "
        "(load generator on the same machine).",
        "",
        "| scenario | requests | req/s | wrk p99 ms | server median ms | server p95 ms "
        "| statuses | non-2xx | target | runs req/s |",
        "|---|---:|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['requests']:,} | {row['rps']:.0f} | {row['p99_ms']:.1f} "
            f"| {row['median_ms']:.1f} | {row['p95_ms']:.1f} | {row['statuses']} "
            f"| {row['errors']} | {row['target']} | {row.get('runs', '')} |"
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
