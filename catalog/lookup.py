"""Batch lookup of part numbers (a BOM or a parts library), priced at the asked quantity.

Up to 100 lines per call, resolved with a fixed handful of queries for the exact matches and
one index-backed prefix query per line that needs it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from .db import exact_mpn_lookups
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


def _manufacturer_id(name: str) -> int | None:
    if not name:
        return None
    return vocabulary().manufacturers.get(normalize_name(name))


def _match(line: LookupLine, exact_by_mpn: dict[str, list[Part]]) -> tuple[str, list[Part]]:
    maker_id = _manufacturer_id(line.manufacturer)
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
    partial = Part.objects.select_related("manufacturer", "stock").filter(
        normalized_mpn__startswith=candidates[-1]
    )
    if maker_id is not None:
        partial = partial.filter(manufacturer_id=maker_id)
    found = list(partial.order_by("normalized_mpn")[:5])
    return ("partial", found) if found else ("none", [])


def lookup(lines: list[LookupLine]) -> list[dict]:
    """One result per line: match kind, the part, stock and price at the quantity."""
    wanted = {c for line in lines for c in mpn_candidates(line.mpn)}
    exact_by_mpn: dict[str, list[Part]] = {}
    with exact_mpn_lookups():
        found = list(
            Part.objects.select_related("manufacturer", "stock").filter(normalized_mpn__in=wanted)
        )
    for part in found:
        exact_by_mpn.setdefault(part.normalized_mpn, []).append(part)
    matches = [_match(line, exact_by_mpn) for line in lines]
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
