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

from catalog.lookup import MAX_LINES, LookupLine, manufacturer_ids, resolve
from catalog.models import AlternateKind, Lifecycle, Part, PartAlternate, SearchKind
from catalog.search import looks_like_part_number, mpn_candidates, ranked, search

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


def _value_key(line) -> tuple[str, str]:
    return line.value.strip(), package_of(line.footprint)


def _part_number_values(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], LineMatch]:
    """The (value, package) keys whose value is a part number the catalog lists, read in one
    query: the part suggested (to check), of the line's package when the number names
    several parts and one of them has it."""
    wanted = {
        key: mpn_candidates(key[0])
        for key in keys
        if looks_like_part_number(key[0].replace(" ", ""))
    }
    if not wanted:
        return {}
    by_mpn: dict[str, list[tuple[int, str]]] = {}
    for pk, normalized, package in Part.objects.filter(
        normalized_mpn__in={c for candidates in wanted.values() for c in candidates}
    ).values_list("pk", "normalized_mpn", "package"):
        by_mpn.setdefault(normalized, []).append((pk, package))
    found = {}
    for key, candidates in wanted.items():
        parts = next((by_mpn[c] for c in candidates if c in by_mpn), [])
        if key[1] and len(parts) > 1:
            parts = [part for part in parts if part[1].upper() == key[1].upper()] or parts
        ids = sorted(pk for pk, _ in parts)[:VALUE_CANDIDATES]
        if ids:
            found[key] = LineMatch(BomMatch.TO_CHECK, ids[0], ids)
    return found


def _value_match(value: str, package: str) -> LineMatch:
    query = " ".join(filter(None, [value.strip(), package]))
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


class LineMatcher:
    """Matches a BOM's lines batch after batch: the manufacturers are read once, and a value
    and package searched once, for the whole BOM."""

    def __init__(self) -> None:
        self._makers: dict[str, int] | None = None
        self._by_value: dict[tuple[str, str], LineMatch] = {}  # a BOM repeats its values

    def match(self, lines: Sequence) -> list[LineMatch]:
        """One ``LineMatch`` per line (objects with mpn, manufacturer, value, footprint and
        a quantity), in order. Part numbers are looked up 100 at a time."""
        results: list[LineMatch | None] = [None] * len(lines)
        numbered = [index for index, line in enumerate(lines) if line.mpn.strip()]
        if numbered and self._makers is None:
            self._makers = manufacturer_ids()
        for start in range(0, len(numbered), MAX_LINES):
            batch = numbered[start : start + MAX_LINES]
            found = resolve(
                [
                    LookupLine(
                        mpn=lines[i].mpn.strip()[:100],
                        manufacturer=lines[i].manufacturer.strip()[:120],
                    )
                    for i in batch
                ],
                manufacturers=self._makers,
            )
            for index, (kind, parts) in zip(batch, found, strict=True):
                if len(parts) == 1:
                    status = BomMatch.TO_CHECK if kind == "partial" else BomMatch.EXACT
                    results[index] = LineMatch(status, parts[0].pk, [parts[0].pk])
                elif parts:
                    results[index] = LineMatch(BomMatch.CANDIDATES, None, [p.pk for p in parts])
        self._match_values([line for index, line in enumerate(lines) if results[index] is None])
        for index, line in enumerate(lines):
            if results[index] is None:
                found = self._by_value[_value_key(line)]
                results[index] = LineMatch(found.match, found.part_id, list(found.candidate_ids))
        return results  # type: ignore[return-value]

    def _match_values(self, lines: Sequence) -> None:
        """Resolve the distinct (value, package) of ``lines`` not resolved yet: first all of
        them in one query as part numbers (a value column that names the part, as KiCad's
        does for ICs: "STM32F103C8T6" in an LQFP-48 footprint), then the rest by value
        search, one search per distinct value and package."""
        keys = list(dict.fromkeys(_value_key(line) for line in lines))
        keys = [key for key in keys if key not in self._by_value]
        self._by_value.update(_part_number_values(keys))
        for key in keys:
            if key not in self._by_value:
                self._by_value[key] = _value_match(*key)


def match_lines(lines: Sequence) -> list[LineMatch]:
    """One ``LineMatch`` per line, in order (``LineMatcher`` for one batch of lines)."""
    return LineMatcher().match(lines)


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
