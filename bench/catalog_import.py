"""Catalog import benchmark: generate N parts as a catalog CSV, import them, print a table.

    make bench-import                      # 1,000,000 parts into a throwaway PostgreSQL
    make bench-import ARGS="--parts 100000"

Run directly it uses DATABASE_URL (default: the SQLite demo database, so point it somewhere
disposable). The database is migrated first. RSS is sampled at 25/50/75/100 % of the import
to show memory stays flat while the file grows.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from catalog.imports import import_catalog_file  # noqa: E402
from catalog.models import Part  # noqa: E402
from catalog.taxonomy import ParameterSpec, category_ensure  # noqa: E402

MANUFACTURERS = ("YAGEO", "Vishay", "Panasonic", "Murata", "Samsung Electro-Mechanics", "TDK",
                 "KEMET", "Bourns", "ROHM", "UNI-ROYAL")  # fmt: skip
SUPPLIERS = ("hk-stock", "sz-stock", "eu-stock")
PACKAGES = ("0201", "0402", "0603", "0805", "1206", "1210")
RESISTANCES = [f"{m}{p}" for p in ("", "k", "M") for m in (1, 1.2, 1.5, 2.2, 3.3, 4.7, 6.8, 10,
                                                          22, 47, 100, 220, 470)]  # fmt: skip
CAPACITANCES = [f"{m}{p}F" for p in ("p", "n", "u") for m in (1, 2.2, 4.7, 10, 22, 47, 100, 470)]
COLUMNS = [
    "manufacturer", "mpn", "category", "description", "package", "datasheet_url", "lifecycle",
    "rohs", "msl", "packaging", "moq", "order_multiple", "stock", "prices", "reel_quantity",
    "reel_prices", "supplier", "supplier_quantity", "supplier_lead_days", "supplier_cost",
    "param:resistance", "param:tolerance", "param:power", "param:capacitance", "param:voltage",
    "param:dielectric",
]  # fmt: skip


def ensure_categories() -> None:
    category_ensure(
        path="passives/resistors/chip-resistors",
        name="Chip resistors",
        parameters=[
            ParameterSpec("resistance", "Resistance", "Ω", is_key=True),
            ParameterSpec("tolerance", "Tolerance", "%", is_key=True),
            ParameterSpec("power", "Power", "W"),
        ],
    )
    category_ensure(
        path="passives/capacitors/mlcc",
        name="Multilayer ceramic capacitors",
        parameters=[
            ParameterSpec("capacitance", "Capacitance", "F", is_key=True),
            ParameterSpec("voltage", "Voltage rating", "V", is_key=True),
            ParameterSpec("dielectric", "Dielectric", kind="choice"),
        ],
    )


def write_csv(path: Path, parts: int, seed: int) -> None:
    """Plausible rows: resistors and MLCCs, four price breaks, stock, a reel and an offer."""
    import csv

    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for n in range(parts):
            package = rng.choice(PACKAGES)
            price = rng.randint(20, 5000) / 100000
            prices = "|".join(
                f"{q}:{price * f:.6f}" for q, f in ((1, 1), (100, 0.6), (1000, 0.4), (10000, 0.3))
            )
            common = [
                rng.choice(MANUFACTURERS),
                "",
                "",
                "",
                package,
                f"https://datasheets.example.com/{n}.pdf",
                rng.choice(("active", "active", "active", "nrnd", "eol")),
                "yes",
                "1",
                "Tape & Reel",
                "1",
                "1",
                str(rng.choice((0, rng.randint(1, 500_000)))),
                prices,
                "5000",
                f"5000:{price * 0.25:.6f}|25000:{price * 0.2:.6f}",
                rng.choice(SUPPLIERS),
                str(rng.randint(0, 1_000_000)),
                str(rng.randint(2, 14)),
                f"{price * 0.15:.6f}",
            ]
            if n % 2:
                value = rng.choice(RESISTANCES)
                tolerance = rng.choice(("1%", "5%", "0.1%"))
                common[1] = f"RC{package}-{n:07d}-{value}"
                common[2] = "passives/resistors/chip-resistors"
                common[3] = f"{value}Ω ±{tolerance} {package} thick film chip resistor"
                params = [value, tolerance, rng.choice(("1/16W", "1/10W", "1/8W", "0.25W")), "",
                          "", ""]  # fmt: skip
            else:
                value = rng.choice(CAPACITANCES)
                volts = rng.choice(("6.3V", "10V", "16V", "25V", "50V"))
                dielectric = rng.choice(("X7R", "X5R", "C0G"))
                common[1] = f"CL{package}{dielectric}-{n:07d}-{value}"
                common[2] = "passives/capacitors/mlcc"
                common[3] = f"{value} {volts} {dielectric} {package} MLCC"
                params = ["", "", "", value, volts, dielectric]
            writer.writerow(common + params)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def ensure_database() -> None:
    """A fresh throwaway server has no application database yet: create it."""
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")


def database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
    return f"{connection.vendor} {connection.Database.sqlite_version}"


def timed_import(path: Path, parts: int) -> tuple[float, list[tuple[int, float]]]:
    samples: list[tuple[int, float]] = []
    marks = [parts * quarter // 4 for quarter in (1, 2, 3, 4)]

    def progress(rows: int) -> None:
        while marks and rows >= marks[0]:
            samples.append((100 * (len(samples) + 1) // 4, rss_mb()))
            marks.pop(0)

    started = time.perf_counter()
    result = import_catalog_file(path=path, progress=progress)
    seconds = time.perf_counter() - started
    if result.rejected:
        sys.exit(f"{result.rejected} rows rejected, see {result.report_path}")
    return seconds, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reimport", action="store_true", help="also time importing the same file again"
    )
    args = parser.parse_args()

    ensure_database()
    call_command("migrate", verbosity=0, interactive=False)
    ensure_categories()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as workdir:
        path = Path(workdir) / "parts.csv"
        started = time.perf_counter()
        write_csv(path, args.parts, args.seed)
        generated = time.perf_counter() - started
        size_mb = path.stat().st_size / 2**20
        print(f"generated {args.parts:,} rows ({size_mb:,.0f} MB) in {generated:.1f} s")
        rss_before = rss_mb()
        runs = [("first import (creates)", *timed_import(path, args.parts))]
        if args.reimport:
            runs.append(("re-import (no changes)", *timed_import(path, args.parts)))
    assert Part.objects.filter(sku__isnull=True).count() == 0

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The process that checks the rows of a large file (catalog.imports.checking), once ended.
    checker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    print(f"Machine: {os.cpu_count()} CPUs (nproc {subprocess.getoutput('nproc')}), "
          f"{memory:.0f} GB RAM, {platform.python_implementation()} {platform.python_version()}, "
          f"{database_version()}; {date.today().isoformat()}")  # fmt: skip
    print(f"Batch size {django.conf.settings.CATALOG_IMPORT_BATCH_SIZE}; "
          f"RSS before the import {rss_before:.0f} MB.")  # fmt: skip
    print()
    print("| run | parts | seconds | parts/s | RSS at 25 / 50 / 75 / 100 % (MB) |")
    print("|---|---:|---:|---:|---|")
    for name, seconds, samples in runs:
        rss = " / ".join(f"{mb:.0f}" for _, mb in samples)
        print(f"| {name} | {args.parts:,} | {seconds:.1f} | {args.parts / seconds:,.0f} | {rss} |")
    print()
    print(f"Peak RSS of the process (ru_maxrss): {peak:.0f} MB")
    if checker_peak:
        print(f"Peak RSS of the row-checking process (RUSAGE_CHILDREN): {checker_peak:.0f} MB")


if __name__ == "__main__":
    main()
