"""Matching BOM lines to catalog parts.

Lines with a part number go through the batch lookup (``catalog.lookup``, 100 lines a call,
manufacturer aliases understood). A line whose number is not found, or that has none, but
gives a value and a footprint ("100nF", "C_0402_1005Metric") is searched by value, and the
best part is only suggested: the customer confirms it (``to_check``). A matched part that is
out of stock or discontinued gets a drop-in alternate in stock offered beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from catalog.lookup import MAX_LINES, LookupLine, lookup, manufacturer_ids
from catalog.models import AlternateKind, Lifecycle, Part, PartAlternate, SearchKind
from catalog.search import ranked, search

from ..models import BomMatch

# Imperial chip sizes, as footprints spell them: "C_0402_1005Metric", "R0603", "0805".
_CHIP_SIZE = re.compile(r"(?<!\d)(01005|0201|0402|0603|0805|1206|1210|1812|2010|2512)(?!\d)")
_PACKAGE_NAME = re.compile(r"^([A-Za-z]{2,}-?\d{1,3})(?:[_\s]|$)")
VALUE_CANDIDATES = 5


@dataclass
class LineMatch:
    """What a line matched: its status, the part chosen and the other candidates."""

    match: str
    part_id: int | None = None
    candidate_ids: list[int] = field(default_factory=list)


def package_of(footprint: str) -> str:
    """The package a footprint names, as the catalog spells packages: "0402", "SOT-23"."""
    text = (footprint or "").strip()
    size = _CHIP_SIZE.search(text)
    if size:
        return size.group(1)
    name = text.rsplit(":", 1)[-1]
    package = _PACKAGE_NAME.match(name)
    return package.group(1).upper() if package else ""


def _value_match(value: str, footprint: str) -> LineMatch:
    query = " ".join(filter(None, [value.strip(), package_of(footprint)]))
    if not query:
        return LineMatch(BomMatch.NOT_FOUND)
    outcome = search(query)
    if outcome.exact_part is not None:
        return LineMatch(BomMatch.TO_CHECK, outcome.exact_part.pk, [outcome.exact_part.pk])
    if outcome.parts is None or outcome.kind != SearchKind.VALUE:
        return LineMatch(BomMatch.NOT_FOUND)
    ids = ranked(outcome.parts, outcome).ids[:VALUE_CANDIDATES]
    if not ids:
        return LineMatch(BomMatch.NOT_FOUND)
    return LineMatch(BomMatch.TO_CHECK, ids[0], ids)


def match_lines(lines: Sequence) -> list[LineMatch]:
    """One ``LineMatch`` per line (objects with mpn, manufacturer, value, footprint and a
    quantity), in order. Part numbers are looked up 100 at a time."""
    results: list[LineMatch | None] = [None] * len(lines)
    numbered = [index for index, line in enumerate(lines) if line.mpn.strip()]
    makers = manufacturer_ids() if numbered else {}  # once per BOM, not per line or batch
    for start in range(0, len(numbered), MAX_LINES):
        batch = numbered[start : start + MAX_LINES]
        found = lookup(
            [
                LookupLine(
                    mpn=lines[i].mpn.strip()[:100],
                    manufacturer=lines[i].manufacturer.strip()[:120],
                    quantity=max(getattr(lines[i], "needed_quantity", 0) or 1, 1),
                )
                for i in batch
            ],
            manufacturers=makers,
        )
        skus = {
            ref["sku"]
            for result in found
            for ref in ([result["part"]] if "part" in result else result.get("candidates", []))
        }
        id_of = dict(Part.objects.filter(sku__in=skus).values_list("sku", "pk"))
        for index, result in zip(batch, found, strict=True):
            if "part" in result:
                part_id = id_of.get(result["part"]["sku"])
                status = BomMatch.TO_CHECK if result["match"] == "partial" else BomMatch.EXACT
                results[index] = LineMatch(status, part_id, [part_id])
            elif result.get("candidates"):
                ids = [id_of[ref["sku"]] for ref in result["candidates"] if ref["sku"] in id_of]
                results[index] = LineMatch(BomMatch.CANDIDATES, None, ids)
    by_value: dict[tuple[str, str], LineMatch] = {}  # a BOM repeats its values
    for index, line in enumerate(lines):
        if results[index] is None:
            key = (line.value.strip(), package_of(line.footprint))
            if key not in by_value:
                by_value[key] = _value_match(line.value, line.footprint)
            found = by_value[key]
            results[index] = LineMatch(found.match, found.part_id, list(found.candidate_ids))
    return results  # type: ignore[return-value]


def drop_in_alternates(needs: dict[int, int]) -> dict[int, int]:
    """For each part (id → pieces needed) out of stock or discontinued, a drop-in alternate
    that is active and has the pieces in own stock: part id → alternate id."""
    if not needs:
        return {}
    parts = Part.objects.filter(pk__in=list(needs)).select_related("stock")
    wanting = [
        part.pk
        for part in parts
        if part.lifecycle in (Lifecycle.EOL, Lifecycle.OBSOLETE)
        or (getattr(part, "stock", None) is None or part.stock.available < needs[part.pk])
    ]
    if not wanting:
        return {}
    offers = (
        PartAlternate.objects.filter(part_id__in=wanting, kind=AlternateKind.DROP_IN)
        .exclude(alternate__lifecycle__in=[Lifecycle.EOL, Lifecycle.OBSOLETE])
        .select_related("alternate__stock")
        .order_by("part_id", "id")
    )
    chosen: dict[int, int] = {}
    for offer in offers:
        stock = getattr(offer.alternate, "stock", None)
        if offer.part_id in chosen or stock is None:
            continue
        if stock.available >= needs[offer.part_id]:
            chosen[offer.part_id] = offer.alternate_id
    return chosen
