"""Chinese names of the demo catalog's categories and parameters, and the demo's Chinese
makers (Fenghua, 风华) with a few of their parts, from ``demo_data/names_zh.json``.

Run after the demo categories exist; running it again changes nothing, and on a demo
database loaded before the names existed it fills them in.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils.text import slugify

from .models import (
    CATEGORY_TREE_CACHE_KEY,
    VOCABULARY_CACHE_KEY,
    Category,
    Manufacturer,
    ManufacturerAlias,
    PackagingKind,
    PackagingOption,
    ParameterDefinition,
    ParameterValue,
    Part,
    PriceBreak,
    Stock,
    normalize_mpn,
    normalize_name,
)
from .services import parameter_value_parse, part_listing_refresh

NAMES_FILE = Path(__file__).resolve().parent / "demo_data" / "names_zh.json"


def demo_names_parts(*, path: Path = NAMES_FILE) -> list[dict]:
    """The parts the names file adds (Chinese makers' parts), as written there."""
    return json.loads(path.read_text(encoding="utf-8")).get("parts", [])


@transaction.atomic
def demo_names_apply(*, path: Path = NAMES_FILE) -> dict[str, int]:
    """Set the Chinese names, ensure the makers and their aliases, add their parts once.
    Returns how many of each were changed or added."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {
        "categories": _name_categories(
            data.get("categories", {}), data.get("category_descriptions", {})
        ),
        "parameters": _name_parameters(
            data.get("parameters", {}), data.get("parameters_by_category", {})
        ),
        "manufacturers": _ensure_manufacturers(data.get("manufacturers", [])),
        "parts": _ensure_parts(data.get("parts", [])),
    }
    cache.delete(CATEGORY_TREE_CACHE_KEY)
    cache.delete(VOCABULARY_CACHE_KEY)
    return counts


def _name_categories(names: dict[str, str], descriptions: dict[str, str]) -> int:
    changed = 0
    for category in Category.objects.filter(path__in=list(names)):
        name = names[category.path]
        description = descriptions.get(category.path, category.description_zh)
        if (category.name_zh, category.description_zh) != (name, description):
            category.name_zh, category.description_zh = name, description
            category.save(update_fields=["name_zh", "description_zh", "updated_at"])
            changed += 1
    return changed


def _name_parameters(by_key: dict[str, str], by_category: dict[str, dict[str, str]]) -> int:
    changed = 0
    for definition in ParameterDefinition.objects.select_related("category"):
        wanted = by_category.get(definition.category.path, {}).get(definition.key) or by_key.get(
            definition.key, ""
        )
        if wanted and definition.name_zh != wanted:
            definition.name_zh = wanted
            definition.save(update_fields=["name_zh"])
            changed += 1
    return changed


def _ensure_manufacturers(makers: list[dict]) -> int:
    added = 0
    for maker in makers:
        manufacturer, created = Manufacturer.objects.get_or_create(
            name=maker["name"],
            defaults={"slug": slugify(maker["name"]), "website": maker.get("website", "")},
        )
        added += created
        for alias in maker.get("aliases", []):
            normalized = normalize_name(alias)
            if normalized and not ManufacturerAlias.objects.filter(normalized=normalized).exists():
                ManufacturerAlias(manufacturer=manufacturer, name=alias).save()
                added += 1
    return added


def _ensure_parts(rows: list[dict]) -> int:
    makers = {
        m.name: m for m in Manufacturer.objects.filter(name__in={r["manufacturer"] for r in rows})
    }
    categories = {
        c.path: c for c in Category.objects.filter(path__in={r["category"] for r in rows})
    }
    added: list[int] = []
    for row in rows:
        maker, category = makers.get(row["manufacturer"]), categories.get(row["category"])
        if maker is None or category is None:
            continue
        normalized = normalize_mpn(row["mpn"])
        if Part.objects.filter(manufacturer=maker, normalized_mpn=normalized).exists():
            continue
        part = Part.objects.create(
            mpn=row["mpn"],
            manufacturer=maker,
            category=category,
            package=row.get("package", ""),
            description=row.get("description", ""),
            datasheet_url=row.get("datasheet", ""),
            rohs="compliant",
            msl="1",
            packaging="Tape & Reel",
        )
        definitions = {d.key: d for d in category.parameters.all()}
        for key, text in row.get("params", {}).items():
            if key in definitions:
                shown, si_value = parameter_value_parse(definition=definitions[key], text=text)
                ParameterValue.objects.create(
                    part=part, definition=definitions[key], text=shown, si_value=si_value
                )
        cut_tape = PackagingOption.objects.create(part=part, kind=PackagingKind.CUT_TAPE)
        for quantity, price in row.get("prices", []):
            PriceBreak.objects.create(
                packaging=cut_tape, min_quantity=quantity, unit_price=Decimal(str(price))
            )
        if row.get("reel"):
            reel = PackagingOption.objects.create(
                part=part, kind=PackagingKind.REEL, reel_quantity=row["reel"]
            )
            PriceBreak.objects.create(
                packaging=reel,
                min_quantity=row["reel"],
                unit_price=Decimal(str(row["reel_price"])),
            )
        Stock.objects.create(part=part, on_hand=row.get("stock", 0))
        added.append(part.pk)
    part_listing_refresh(part_ids=added)
    return len(added)
