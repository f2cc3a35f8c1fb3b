"""HTTP cache benchmark: part pages through Varnish (deploy/varnish/partline.vcl, cache hits)
against the same pages straight from gunicorn, with a static file through the same Varnish
as the yardstick of what the cache itself can do on this machine.

    python bench/http_cache.py --database var/bench-cache/demo.sqlite3 --seconds 10

The database is a demo catalog (``manage.py load_demo_catalog --parts 20000``). gunicorn runs
2 sync workers, as on a 2-core machine; Varnish runs with ``-j none`` under a temporary
working directory. The load generator is Python threads with keep-alive connections on the
same machine, so every figure shares its CPUs with the client: compare the lines with each
other, not with a production host.
"""

import argparse
import http.client
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{what} did not start") from None
            time.sleep(0.2)


def sample_paths(count: int) -> tuple[list[str], str]:
    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage

    from catalog.models import Part

    parts = Part.objects.select_related("manufacturer").order_by("?")[:count]
    return [part.get_absolute_url() for part in parts], staticfiles_storage.url("js/part.js")


def load(port: int, paths: list[str], seconds: float, connections: int) -> dict:
    """GET the paths round-robin from `connections` threads for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        position = index
        while time.monotonic() < stop:
            path = paths[position % len(paths)]
            position += connections
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies[index].append(time.perf_counter() - started)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(value for values in latencies for value in values)
    if not every:
        return {"requests": 0, "rps": 0.0, "p50": 0.0, "p99": 0.0, "errors": sum(errors)}
    return {
        "requests": len(every),
        "rps": len(every) / elapsed,
        "p50": every[len(every) // 2] * 1000,
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))] * 1000,
        "errors": sum(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=str(ROOT / "var/bench-cache/demo.sqlite3"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--paths", type=int, default=500, help="distinct part pages asked")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.database).resolve()}"

    paths, static_path = sample_paths(args.paths)
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    workdir = Path(tempfile.mkdtemp(prefix="bench-http-cache-"))
    app_port, cache_port = free_port(), free_port()
    python_bin = Path(sys.executable).parent
    gunicorn = subprocess.Popen(
        [str(python_bin / "gunicorn"), "shop.wsgi:application", "--bind",
         f"127.0.0.1:{app_port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(),
    )
    vcl = workdir / "partline.vcl"
    vcl.write_text(
        (ROOT / "deploy/varnish/partline.vcl").read_text()
        .replace('.port = "8000";', f'.port = "{app_port}";')
    )
    varnish = subprocess.Popen(
        [varnishd, "-F", "-j", "none", "-n", str(workdir / "varnish"), "-a",
         f"127.0.0.1:{cache_port}", "-f", str(vcl), "-s", "malloc,256m", "-T", "none"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(app_port, gunicorn, "gunicorn")
        wait_for(cache_port, varnish, "varnishd")
        for path in [*paths, static_path]:  # fill the cache: the runs below are hits
            urllib.request.urlopen(f"http://127.0.0.1:{cache_port}{path}", timeout=60).read()
        with urllib.request.urlopen(f"http://127.0.0.1:{cache_port}{paths[0]}") as response:
            assert response.headers["X-Cache"] == "HIT", "part pages are not cached"
        runs = [
            ("part pages via Varnish (hits)", cache_port, paths),
            ("part pages direct to gunicorn", app_port, paths),
            ("static file via Varnish (yardstick)", cache_port, [static_path]),
        ]
        results = [(name, load(port, p, args.seconds, args.connections)) for name, port, p in runs]
    finally:
        varnish.terminate()
        gunicorn.terminate()
        varnish.wait(timeout=20)
        gunicorn.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)

    from catalog.models import Part

    print(
        f"HTTP cache benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs "
        f"(nproc), {platform.python_implementation()} {platform.python_version()}, "
        f"{Part.objects.count():,} parts on SQLite, {len(paths)} distinct part pages, "
        f"{args.connections} connections, {args.seconds:g} s per line. A shared 2-CPU machine: "
        "the client, Varnish and gunicorn compete for the same cores.\n"
    )
    print("| what | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, result in results:
        print(
            f"| {name} | {result['requests']:,} | {result['rps']:,.0f} | {result['p50']:.2f} "
            f"| {result['p99']:.2f} | {result['errors']} |"
        )


if __name__ == "__main__":
    main()
