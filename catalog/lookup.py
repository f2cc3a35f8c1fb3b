"""Batch lookup of part numbers (a BOM or a parts library), priced at the asked quantity.

Up to 100 lines per call, resolved with a fixed handful of queries for the exact matches and
the index-backed prefix queries of the lines that need them (one ``UNION ALL`` on
PostgreSQL, one query per line elsewhere).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import IntegerField, Value

from .db import exact_mpn_lookups, prefix_mpn_lookups
from .models import Part, normalize_name
from .pricing import line_total, unit_price_at
from .search import mpn_candidates, vocabulary
from .selectors import price_ladders_for

MAX_LINES = 100


@dataclass(frozen=True)
class LookupLine:
    mpn: str
    manufacturer: str = ""
    quantity: int = 1


PARTIAL_LIMIT = 5
# "TI(德州仪器)", "村田 / Murata", "国巨【YAGEO】": a name given in two languages at once.
_NAME_PARTS = re.compile(r"[()（）\[\]【】/／|,，、;；]+")


def manufacturer_ids() -> dict[str, int]:
    """Normalized manufacturer name or alias → manufacturer id (read once per batch)."""
    return vocabulary().manufacturers


def manufacturer_id(name: str, manufacturers: dict[str, int]) -> int | None:
    """The manufacturer a BOM's name means: the whole name or alias, else one of the names
    it gives in brackets or after a slash ("TI(德州仪器)" is Texas Instruments)."""
    if not name:
        return None
    found = manufacturers.get(normalize_name(name))
    if found is None:
        for piece in _NAME_PARTS.split(name):
            found = manufacturers.get(normalize_name(piece)) if piece.strip() else None
            if found is not None:
                break
    return found


def _match(
    line: LookupLine, exact_by_mpn: dict[str, list[Part]], maker_id: int | None
) -> tuple[str, list[Part]] | tuple[str, str]:
    """The line's match kind and parts, or ``("prefix", prefix)`` when only a prefix query
    can tell."""
    candidates = mpn_candidates(line.mpn)
    for position, candidate in enumerate(candidates):
        parts = exact_by_mpn.get(candidate, [])
        if maker_id is not None:
            parts = [p for p in parts if p.manufacturer_id == maker_id]
        if parts:
            if position == 0:
                kind = (
                    "exact"
                    if any(p.mpn.upper() == line.mpn.strip().upper() for p in parts)
                    else "normalized"
                )
            else:
                kind = "suffix_removed"
            return kind, parts
    if not candidates or len(candidates[0]) < 4:
        return "none", []
    return "prefix", candidates[-1]


def _prefix_query(prefix: str, maker_id: int | None):
    partial = Part.objects.filter(normalized_mpn__startswith=prefix)
    if maker_id is not None:
        partial = partial.filter(manufacturer_id=maker_id)
    return partial.order_by("normalized_mpn")


def _prefix_matches(wanted: list[tuple[str, int | None]]) -> list[list[Part]]:
    """The first parts (by normalized MPN) starting with each prefix, of the manufacturer
    when one is given: one query of ``UNION ALL`` branches where the database orders and
    limits each branch, then the parts in one more."""
    if not wanted:
        return []
    if not connection.features.supports_slicing_ordering_in_compound:
        return [
            list(_prefix_query(p, m).select_related("manufacturer", "stock")[:PARTIAL_LIMIT])
            for p, m in wanted
        ]
    branches = [
        _prefix_query(prefix, maker_id)
        .annotate(slot=Value(slot, output_field=IntegerField()))
        .values_list("slot", "pk", "normalized_mpn")[:PARTIAL_LIMIT]
        for slot, (prefix, maker_id) in enumerate(wanted)
    ]
    with prefix_mpn_lookups():
        rows = list(branches[0].union(*branches[1:], all=True))
    parts = Part.objects.select_related("manufacturer", "stock").in_bulk({pk for _, pk, _ in rows})
    found: list[list[tuple[str, int]]] = [[] for _ in wanted]
    for slot, pk, normalized in rows:
        found[slot].append((normalized, pk))
    return [[parts[pk] for _, pk in sorted(each)] for each in found]


def resolve(
    lines: list[LookupLine], *, manufacturers: dict[str, int] | None = None
) -> list[tuple[str, list[Part]]]:
    """Each line's match kind ("exact", "normalized", "suffix_removed", "partial" or
    "none") and the parts it names (with manufacturer and stock), unpriced: what a caller
    that keeps only the parts (a BOM's matching) needs, without reading ladders."""
    wanted = {c for line in lines for c in mpn_candidates(line.mpn)}
    exact_by_mpn: dict[str, list[Part]] = {}
    with exact_mpn_lookups():
        found = list(
            Part.objects.select_related("manufacturer", "stock").filter(normalized_mpn__in=wanted)
        )
    for part in found:
        exact_by_mpn.setdefault(part.normalized_mpn, []).append(part)
    if manufacturers is None:
        manufacturers = manufacturer_ids() if any(line.manufacturer for line in lines) else {}
    maker_ids = [manufacturer_id(line.manufacturer, manufacturers) for line in lines]
    matches = [
        _match(line, exact_by_mpn, maker_id)
        for line, maker_id in zip(lines, maker_ids, strict=True)
    ]
    asking = [
        (index, (found, maker_ids[index]))
        for index, (kind, found) in enumerate(matches)
        if kind == "prefix"
    ]
    partial = _prefix_matches([wanted for _, wanted in asking])
    for (index, _), found in zip(asking, partial, strict=True):
        matches[index] = ("partial", found) if found else ("none", [])
    return matches  # type: ignore[return-value]


def lookup(lines: list[LookupLine], *, manufacturers: dict[str, int] | None = None) -> list[dict]:
    """One result per line: match kind, the part, stock and price at the quantity.
    ``manufacturers`` (from ``manufacturer_ids``) saves reading them again when a caller
    looks up many batches."""
    matches = resolve(lines, manufacturers=manufacturers)
    chosen = [parts[0] for kind, parts in matches if len(parts) == 1]
    ladders = price_ladders_for([p.pk for p in chosen])
    results = []
    for line, (kind, parts) in zip(lines, matches, strict=True):
        result: dict = {
            "input": {
                "mpn": line.mpn,
                "manufacturer": line.manufacturer,
                "quantity": line.quantity,
            },
            "match": kind if len(parts) <= 1 else "ambiguous",
        }
        if len(parts) == 1:
            result.update(_priced(parts[0], line.quantity, ladders.get(parts[0].pk, [])))
        elif parts:
            result["candidates"] = [_part_ref(p) for p in parts]
        results.append(result)
    return results


def _part_ref(part: Part) -> dict:
    return {
        "sku": part.sku,
        "mpn": part.mpn,
        "manufacturer": part.manufacturer.name,
        "url": settings.SITE_URL + part.get_absolute_url(),
    }


def _order_quantity(part: Part, quantity: int) -> int:
    """The quantity that can be ordered: at least the MOQ, in whole order multiples."""
    quantity = max(quantity, part.moq)
    multiple = part.order_multiple
    return -(-quantity // multiple) * multiple


def _priced(part: Part, quantity: int, ladder) -> dict:
    stock = getattr(part, "stock", None)
    available = stock.available if stock else 0
    order_quantity = _order_quantity(part, quantity)
    unit_price = unit_price_at(ladder, order_quantity)
    return {
        "part": _part_ref(part),
        "lifecycle": part.lifecycle,
        "stock": {"available": available, "enough": available >= order_quantity},
        "order_quantity": order_quantity,
        "currency": settings.SHOP_CURRENCY,
        "unit_price": str(unit_price) if unit_price is not None else None,
        "extended_price": (
            str(line_total(Decimal(unit_price), order_quantity)) if unit_price is not None else None
        ),
    }
