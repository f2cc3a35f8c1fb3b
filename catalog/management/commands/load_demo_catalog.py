"""``manage.py load_demo_catalog --parts N [--seed S] [--if-empty]``: a believable demo store."""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.demo import (
    DEMO_CATEGORIES,
    demo_categories,
    demo_manufacturers,
    demo_warehouse,
    write_demo_csv,
)
from catalog.demo_names import demo_names_apply
from catalog.imports import ImportFileError, import_catalog_file
from catalog.models import (
    AlternateKind,
    Lifecycle,
    ParameterValue,
    Part,
    PartAlternate,
    PriceBreak,
    Stock,
)

DROP_INS_PER_PART = 3
ALTERNATES_PER_DISCONTINUED_PART = 3


class Command(BaseCommand):
    help = (
        "Generate a demo catalog offline (parts, parameters, prices, stock, supplier offers, "
        "alternates) and import it through the catalog import."
    )

    def add_arguments(self, parser):
        parser.add_argument("--parts", type=int, default=20_000, help="how many parts")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same catalog")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the catalog has parts"
        )

    def handle(self, *args, parts: int, seed: int, if_empty: bool, **options):
        if parts < 1:
            raise CommandError("--parts must be at least 1.")
        if if_empty and Part.objects.exists():
            self.stdout.write("The catalog already has parts; the demo catalog is not loaded.")
            return
        started = time.monotonic()
        demo_categories()
        demo_manufacturers()
        var_dir = Path(settings.VAR_DIR)
        var_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="demo-catalog-", dir=var_dir) as folder:
            path = write_demo_csv(Path(folder) / "demo-catalog.csv", parts=parts, seed=seed)
            self.stdout.write(f"Generated {parts} parts in {time.monotonic() - started:.1f} s.")
            try:
                result = import_catalog_file(
                    path=path,
                    report_path=var_dir / "demo-catalog.rejects.csv",
                    progress=lambda rows: self.stdout.write(f"  {rows}/{parts} rows imported"),
                )
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Imported {result.rows_total} rows: {result.created} created, {result.updated} "
            f"updated, {result.rejected} rejected."
        )
        if result.report_path is not None:
            self.stdout.write(self.style.WARNING(f"Rejected rows: {result.report_path}"))
        self.stdout.write(f"Chinese names, and Chinese makers' parts: {demo_names_apply()}.")
        drop_ins, similar = link_alternates()
        self.stdout.write(f"Linked {drop_ins} drop-in and {similar} similar alternates.")
        self.stdout.write(f"Costed {fill_stock_costs()} parts on hand.")
        binned, esd = demo_warehouse()
        self.stdout.write(f"Put {binned} stocked parts in bins; {esd} are ESD-sensitive.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalog: {Part.objects.count()} parts, "
                f"{Stock.objects.filter(on_hand__gt=0).count()} in stock, "
                f"{PriceBreak.objects.count()} price breaks, "
                f"{PartAlternate.objects.count()} alternates "
                f"({time.monotonic() - started:.1f} s)."
            )
        )


def _spec_groups() -> dict[tuple, list[tuple[int, int, str]]]:
    """Parts keyed by (category, package, key parameter values): parts in one group are
    the same spec. Values: (part id, manufacturer id, lifecycle)."""
    specs: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        ParameterValue.objects.filter(definition__is_key=True)
        .order_by("part_id", "definition_id")
        .values_list("part_id", "definition_id", "text")
    )
    for part_id, definition_id, text in rows.iterator(chunk_size=20_000):
        specs[part_id].append((definition_id, text))
    groups: dict[tuple, list[tuple[int, int, str]]] = defaultdict(list)
    parts = Part.objects.order_by("id").values_list(
        "id", "manufacturer_id", "category__path", "package", "lifecycle"
    )
    for part_id, maker_id, path, package, lifecycle in parts.iterator(chunk_size=20_000):
        if part_id in specs:
            groups[(path, package, tuple(specs[part_id]))].append((part_id, maker_id, lifecycle))
    return groups


def fill_stock_costs() -> int:
    """What the demo's own stock cost: 55-80 % of the part's first price break, the same
    margin range the demo's supplier offers have, so the reports show believable margins."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_stock SET unit_cost = ROUND(("
            " SELECT p.first_break_price FROM catalog_part p WHERE p.id = catalog_stock.part_id"
            ") * (55 + catalog_stock.part_id % 26) / 100.0, 6)"
            " WHERE unit_cost IS NULL AND EXISTS ("
            " SELECT 1 FROM catalog_part p"
            " WHERE p.id = catalog_stock.part_id AND p.first_break_price IS NOT NULL)"
        )
        return cursor.rowcount


def link_alternates() -> tuple[int, int]:
    """Link same-spec parts of different makers, in bulk: drop-in where the category's parts
    are interchangeable by spec (passives, discretes), similar elsewhere. Discontinued parts
    get active alternates first, so their pages can point buyers somewhere."""
    drop_in_paths = {category.path for category in DEMO_CATEGORIES if category.drop_in}
    discontinued = {Lifecycle.EOL, Lifecycle.OBSOLETE}
    links: dict[tuple[int, int], str] = {}
    per_part: dict[int, int] = defaultdict(int)

    def link(part: int, alternate: int, kind: str, limit: int) -> None:
        if (part, alternate) not in links and per_part[part] < limit:
            links[(part, alternate)] = kind
            per_part[part] += 1

    for (path, _, _), members in _spec_groups().items():
        if len({maker for _, maker, _ in members}) < 2:
            continue
        kind = AlternateKind.DROP_IN if path in drop_in_paths else AlternateKind.SIMILAR
        for part, maker, lifecycle in members:
            if lifecycle not in discontinued:
                continue
            for other, other_maker, other_lifecycle in members:
                if other_maker != maker and other_lifecycle not in discontinued:
                    link(part, other, kind, ALTERNATES_PER_DISCONTINUED_PART)
        for (a, maker_a, _), (b, maker_b, _) in combinations(members[:8], 2):
            if maker_a != maker_b:
                link(a, b, kind, DROP_INS_PER_PART)
                link(b, a, kind, DROP_INS_PER_PART)
    with transaction.atomic():
        PartAlternate.objects.bulk_create(
            [PartAlternate(part_id=p, alternate_id=a, kind=k) for (p, a), k in links.items()],
            batch_size=2_000,
            ignore_conflicts=True,
        )
    drop_ins = sum(1 for kind in links.values() if kind == AlternateKind.DROP_IN)
    return drop_ins, len(links) - drop_ins
