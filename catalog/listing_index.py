"""A category's parts as bitmaps, so a filtered, sorted, faceted listing costs milliseconds.

A filtered category page asks three things of the catalog: which parts match up to a
handful of parameter filters, the 50 of them that come first in the chosen sort, and for
every filter value how many parts it would leave. In PostgreSQL that is a join per filter
over a category of hundreds of thousands of parts, a sort of all matches and a count per
facet, which at a million parts takes a second. Here a category is read once into:

- its parts in MPN order (position ``i`` is the ``i``-th part by ``normalized_mpn, id``);
- one bitmap (a Python int, one bit per position) per filter value: each choice text, each
  manufacturer, lifecycle, RoHS, in stock, and for a number parameter each *bucket* of
  neighbouring values (at most ``RANGE_BUCKETS``; a bucket that a range cuts through is
  settled part by part from its sorted values);
- the positions in price and stock order, so that a sorted page walks those orders and
  stops at its 50th match.

A listing is then a few ``&`` and ``|`` of ints, ``int.bit_count()`` for every count and a
walk of one order; the page's rows are read by primary key. The index is rebuilt when the
category changes (its version is the subtree's latest change), at most every
``CATALOG_LISTING_SETTLE_SECONDS``, in the background (``catalog.refreshing``): the rows a
page shows are always read fresh, while which parts match a stock filter or come first by
price may trail a change by that long. The built index is kept in the shared cache, so one
process builds it, and in each process's memory for the requests that follow.
"""

from __future__ import annotations

import bisect
import threading
import time
import uuid
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F

from . import refreshing
from .models import (
    Category,
    Manufacturer,
    ParameterDefinition,
    ParameterKind,
    ParameterValue,
    Part,
    RoHS,
)

#: A number parameter's values are grouped into at most this many buckets of parts.
RANGE_BUCKETS = 64
#: How long an index is served before it is rebuilt even if nothing changed.
FRESH_SECONDS = 900
#: Indexes kept in each process's memory (least recently used go first).
LOCAL_INDEXES = 24
#: Positions walked at a time when a page is read in price or stock order.
_WALK = 4096
#: The manufacturer facet lists the largest this many (and any that is ticked).
MANUFACTURER_FACETS = 40

_RANGE_SLACK = 1e-9  # as catalog.listing: 10k typed matches 9999.99999 stored


@dataclass
class NumberColumn:
    """Buckets of one number parameter: ``lows[b]``/``highs[b]`` bound bucket ``b``'s values,
    ``bitmaps[b]`` holds its parts, and a bucket of several values keeps them sorted with
    their positions for a range that cuts through it."""

    lows: list[float]
    highs: list[float]
    bitmaps: list[int]
    values: list[array | None]
    positions: list[array | None]


@dataclass
class ListingIndex:
    size: int
    width: int  # bits per bitmap: size rounded up to whole bytes
    ids: array
    by_price: array
    by_price_desc: array
    by_stock: array
    in_stock: int
    rohs: int
    lifecycles: dict[str, int]
    manufacturers: dict[str, tuple[str, int]]  # slug -> (name, bitmap)
    choices: dict[int, dict[str, int]]  # definition id -> text -> bitmap
    numbers: dict[int, NumberColumn]  # definition id -> buckets
    built_for: float = 0.0

    @property
    def everything(self) -> int:
        return ((1 << self.size) - 1) << (self.width - self.size)


def _bitmap_of(positions, width: int) -> int:
    """Bit ``width - 1 - p`` set for every position ``p``: read most significant bit first, a
    bitmap's binary digits are the positions in order."""
    cells = bytearray(width // 8)
    for position in positions:
        cells[position >> 3] |= 0x80 >> (position & 7)
    return int.from_bytes(cells, "big")


# --- Building ------------------------------------------------------------------------------


def _rows(queryset):
    """The queryset's rows as plain tuples, read through a cursor: at a million parts the
    ORM's per-row work is most of the build."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # filtered on an empty list
        return
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(50_000):
            yield from batch


def build_index(category: Category, subtree_ids: list[int], version: float = 0.0) -> ListingIndex:
    """Read the category's parts and their filterable parameters into bitmaps."""
    parts = Part.objects.filter(category_id__in=subtree_ids)
    rows = list(
        _rows(
            parts.order_by("normalized_mpn", "id").values_list(
                "id", "stock_available", "manufacturer_id", "lifecycle", "rohs"
            )
        )
    )
    size = len(rows)
    width = (size + 7) // 8 * 8
    ids = array("q", (row[0] for row in rows))
    position_of = {part_id: position for position, part_id in enumerate(ids)}

    # The price and stock orders come sorted from the (category, …, id) indexes.
    priced: list[int] = []
    unpriced: list[int] = []
    for part_id, price in _rows(
        parts.order_by(F("first_break_price").asc(nulls_last=True), "id").values_list(
            "id", "first_break_price"
        )
    ):
        (unpriced if price is None else priced).append(position_of[part_id])
    by_price = array("I", priced + unpriced)
    by_price_desc = array("I", priced[::-1] + unpriced[::-1])
    by_stock = array(
        "I",
        (
            position_of[part_id]
            for (part_id,) in _rows(parts.order_by("stock_available", "id").values_list("id"))
        ),
    )
    del priced, unpriced

    def grouped(column: int) -> dict:
        groups: dict = {}
        for position, row in enumerate(rows):
            groups.setdefault(row[column], []).append(position)
        return groups

    by_maker = grouped(2)
    manufacturers = {
        slug: (name, _bitmap_of(by_maker[maker_id], width))
        for maker_id, slug, name in Manufacturer.objects.filter(
            pk__in=list(by_maker)
        ).values_list("id", "slug", "name")
    }
    lifecycles = {
        value: _bitmap_of(positions, width) for value, positions in grouped(3).items()
    }
    rohs = _bitmap_of((p for p, row in enumerate(rows) if row[4] == RoHS.COMPLIANT), width)
    in_stock = _bitmap_of((p for p, row in enumerate(rows) if (row[1] or 0) > 0), width)
    rows.clear()  # the parameters below are the larger read

    kinds = dict(
        ParameterDefinition.objects.filter(
            category=category, kind__in=[ParameterKind.NUMBER, ParameterKind.CHOICE]
        ).values_list("pk", "kind")
    )
    # definition id -> value (a number's si_value, a choice's text) -> positions
    grouped_values: dict[int, dict] = {pk: {} for pk in kinds}
    values = ParameterValue.objects.filter(definition_id__in=list(kinds)).values_list(
        "part_id", "definition_id", "si_value", "text"
    )
    for part_id, definition_id, si_value, text in _rows(values):
        position = position_of.get(part_id)
        if position is None:
            continue
        if kinds[definition_id] == ParameterKind.NUMBER:
            if si_value is not None:
                grouped_values[definition_id].setdefault(si_value, []).append(position)
        else:
            grouped_values[definition_id].setdefault(text, []).append(position)

    choices = {
        pk: {text: _bitmap_of(positions, width) for text, positions in by_text.items()}
        for pk, by_text in grouped_values.items()
        if kinds[pk] == ParameterKind.CHOICE
    }
    numbers = {
        pk: _number_column(by_value, width)
        for pk, by_value in grouped_values.items()
        if kinds[pk] == ParameterKind.NUMBER
    }
    return ListingIndex(
        size=size,
        width=width,
        ids=ids,
        by_price=by_price,
        by_price_desc=by_price_desc,
        by_stock=by_stock,
        in_stock=in_stock,
        rohs=rohs,
        lifecycles=lifecycles,
        manufacturers=manufacturers,
        choices=choices,
        numbers=numbers,
        built_for=version,
    )


def _number_column(by_value: dict[float, list[int]], width: int) -> NumberColumn:
    """Cut the values, in order, into buckets of about equal numbers of parts; one value
    never spans two buckets."""
    column = NumberColumn(lows=[], highs=[], bitmaps=[], values=[], positions=[])
    target = max(1, sum(map(len, by_value.values())) // RANGE_BUCKETS)
    bucket: list[float] = []
    held = 0
    ordered = sorted(by_value)
    for n, value in enumerate(ordered):
        bucket.append(value)
        held += len(by_value[value])
        if held >= target or n == len(ordered) - 1:
            members = [p for v in bucket for p in by_value[v]]
            column.lows.append(bucket[0])
            column.highs.append(bucket[-1])
            column.bitmaps.append(_bitmap_of(members, width))
            several = len(bucket) > 1
            column.values.append(
                array("d", (v for v in bucket for _ in by_value[v])) if several else None
            )
            column.positions.append(array("I", members) if several else None)
            bucket, held = [], 0
    return column


# --- Reading -------------------------------------------------------------------------------


def range_bitmap(index: ListingIndex, definition_id: int, low, high) -> int:
    """Parts whose value lies in [low, high] (either may be None): whole buckets by bitmap,
    the one or two buckets the bounds cut through by their sorted values."""
    column = index.numbers.get(definition_id)
    if column is None:
        return 0
    low_bound = None if low is None else low * (1 - _RANGE_SLACK)
    high_bound = None if high is None else high * (1 + _RANGE_SLACK)
    if low_bound is not None and high_bound is not None and low_bound > high_bound:
        low_bound, high_bound = high_bound, low_bound  # a negative value's slack runs backwards
    result = 0
    partial: list[int] = []
    for b, (bucket_low, bucket_high) in enumerate(zip(column.lows, column.highs, strict=True)):
        if (low_bound is not None and bucket_high < low_bound) or (
            high_bound is not None and bucket_low > high_bound
        ):
            continue
        if (low_bound is None or bucket_low >= low_bound) and (
            high_bound is None or bucket_high <= high_bound
        ):
            result |= column.bitmaps[b]
            continue
        values, positions = column.values[b], column.positions[b]
        start = 0 if low_bound is None else bisect.bisect_left(values, low_bound)
        stop = len(values) if high_bound is None else bisect.bisect_right(values, high_bound)
        partial.extend(positions[start:stop])
    if partial:
        result |= _bitmap_of(partial, index.width)
    return result


@dataclass
class Selection:
    """The bitmaps a listing query stands for, one per filter, by facet name."""

    filters: dict[str, int] = field(default_factory=dict)

    def matching(self, index: ListingIndex, *, leave_out: str | None = None) -> int:
        result = index.everything
        for name, bitmap in self.filters.items():
            if name != leave_out:
                result &= bitmap
        return result


def select(index: ListingIndex, query) -> Selection:
    """The listing query (catalog.listing.ListingQuery) as bitmaps."""
    selection = Selection()
    for rng in query.ranges:
        if rng.low or rng.high:
            selection.filters[f"range:{rng.definition.pk}"] = range_bitmap(
                index,
                rng.definition.pk,
                rng.low.si_value if rng.low else None,
                rng.high.si_value if rng.high else None,
            )
    for key, texts in query.choices.items():
        definition_id = query.choice_ids[key]
        by_text = index.choices.get(definition_id, {})
        selection.filters[f"choice:{definition_id}"] = _union(by_text.get(t, 0) for t in texts)
    if query.manufacturers:
        selection.filters["mfr"] = _union(
            index.manufacturers[slug][1]
            for slug in query.manufacturers
            if slug in index.manufacturers
        )
    if query.lifecycles:
        selection.filters["lifecycle"] = _union(
            index.lifecycles.get(value, 0) for value in query.lifecycles
        )
    if query.rohs:
        selection.filters["rohs"] = index.rohs
    if query.in_stock:
        selection.filters["stock"] = index.in_stock
    return selection


def _union(bitmaps) -> int:
    result = 0
    for bitmap in bitmaps:
        result |= bitmap
    return result


def facet_counts(index: ListingIndex, selection: Selection, query) -> dict:
    """How many parts each choice value and manufacturer would leave: counted under every
    filter but the facet's own, so ticking a second value of it widens the list."""
    choices: dict[int, list[tuple[str, int]]] = {}
    for definition_id, by_text in index.choices.items():
        within = selection.matching(index, leave_out=f"choice:{definition_id}")
        ticked = set(_ticked(query, definition_id))
        counted = [(text, (bitmap & within).bit_count()) for text, bitmap in by_text.items()]
        counted += [(text, 0) for text in ticked if text not in by_text]  # an old link's value
        choices[definition_id] = sorted(
            (text, count) for text, count in counted if count or text in ticked
        )
    within = selection.matching(index, leave_out="mfr")
    makers = [
        {"manufacturer__slug": slug, "manufacturer__name": name, "count": (b & within).bit_count()}
        for slug, (name, b) in index.manufacturers.items()
    ]
    makers.sort(key=lambda m: (-m["count"], m["manufacturer__name"]))
    ticked_makers = set(query.manufacturers)
    shown = [
        m
        for rank, m in enumerate(makers)
        if (m["count"] and rank < MANUFACTURER_FACETS) or m["manufacturer__slug"] in ticked_makers
    ]
    return {
        "choices": choices,
        "manufacturers": shown,
        "total": index.size,
    }


def _ticked(query, definition_id: int) -> list[str]:
    for key, pk in query.choice_ids.items():
        if pk == definition_id:
            return query.choices.get(key, [])
    return []


def positions_in_order(index: ListingIndex, matching: int, sort: str, start: int, stop: int):
    """Positions of the matching parts from ``start`` to ``stop`` in the given sort."""
    wanted = stop - start
    if wanted <= 0 or not matching:
        return []
    digits = format(matching, f"0{index.width}b")
    if sort in ("mpn", "-mpn"):
        if sort == "-mpn":
            digits = digits[::-1]
        found = _nth_ones(digits, start, wanted)
        return [index.width - 1 - p for p in found] if sort == "-mpn" else found
    order = {
        "price": index.by_price,
        "-price": index.by_price_desc,
        "stock": index.by_stock,
        "-stock": index.by_stock[::-1],
    }[sort]
    picked: list[int] = []
    seen = 0
    pick = digits.__getitem__
    for offset in range(0, len(order), _WALK):
        chunk = order[offset : offset + _WALK]
        walked = "".join(map(pick, chunk))
        here = walked.count("1")
        if seen + here <= start:
            seen += here
            continue
        for found in _nth_ones(walked, max(0, start - seen), wanted - len(picked)):
            picked.append(chunk[found])
        seen += here
        if len(picked) >= wanted:
            break
    return picked


def _nth_ones(digits: str, skip: int, count: int) -> list[int]:
    """Indexes of the ``skip``-th to ``skip + count``-th "1" in ``digits``."""
    at = 0
    if skip:
        step = 8192
        while at < len(digits):
            here = digits.count("1", at, at + step)
            if here > skip:
                break
            skip -= here
            at += step
        for _ in range(skip):
            at = digits.find("1", at) + 1
    found = []
    while len(found) < count:
        at = digits.find("1", at)
        if at < 0:
            break
        found.append(at)
        at += 1
    return found


class Matches(Sequence):
    """The matching parts as a sequence a Django Paginator can page: its length is the count,
    a slice is the part ids of that page in the chosen order."""

    def __init__(self, index: ListingIndex, matching: int, sort: str):
        self.index, self.matching, self.sort = index, matching, sort
        self.total = matching.bit_count()

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("a page of matches is read by slice")
        start, stop, _ = item.indices(self.total)
        positions = positions_in_order(self.index, self.matching, self.sort, start, stop)
        return [self.index.ids[p] for p in positions]


# --- Keeping indexes -------------------------------------------------------------------------

_local: OrderedDict[int, tuple[str, ListingIndex, float]] = OrderedDict()
_local_lock = threading.Lock()


def _blob_key(token: str) -> str:
    return f"listing-index-blob:{token}"


def _settle_seconds() -> int:
    return getattr(settings, "CATALOG_LISTING_SETTLE_SECONDS", 60)


def _remember(category_id: int, token: str, index: ListingIndex) -> None:
    with _local_lock:
        _local[category_id] = (token, index, time.monotonic())
        _local.move_to_end(category_id)
        while len(_local) > LOCAL_INDEXES:
            _local.popitem(last=False)


def _publish(category: Category, subtree_ids: list[int], version: float) -> str:
    """Build the index, put it in the shared cache and this process's memory; the small
    token under the refreshing key names it."""
    index = build_index(category, subtree_ids, version)
    token = uuid.uuid4().hex
    cache.set(_blob_key(token), index, FRESH_SECONDS + refreshing.STALE_SECONDS)
    _remember(category.pk, token, index)
    return token


def category_index(
    category: Category, subtree_ids: list[int], version: float
) -> ListingIndex | None:
    """The category's index: from this process's memory while it is current (no cache
    round trip), else the one the shared cache names. None while the first one is being
    built in the background: at a million parts that takes longer than a request may."""
    settle = _settle_seconds()
    key = f"listing-index:{category.pk}"
    with _local_lock:
        held = _local.get(category.pk)
    if held is not None:
        token, index, read_at = held
        age = time.monotonic() - read_at
        current = index.built_for == version or age < settle
        if current and age < FRESH_SECONDS:
            with _local_lock:
                _local.move_to_end(category.pk)
            return index

    def build() -> str:
        return _publish(category, subtree_ids, version)

    token = refreshing.cached(
        key, build, fresh_seconds=FRESH_SECONDS, version=version, settle_seconds=settle, cold=None
    )
    with _local_lock:
        held = _local.get(category.pk)
    if token is None:  # being built; an older copy in memory is better than none
        return held[1] if held is not None else None
    if held is not None and held[0] == token:  # built here, or read before
        _remember(category.pk, token, held[1])
        return held[1]
    index = cache.get(_blob_key(token))
    if index is None:  # the index was evicted: build it again, and answer without it
        cache.delete(key)
        refreshing.cached(key, build, fresh_seconds=FRESH_SECONDS, version=version, cold=None)
        with _local_lock:
            held = _local.get(category.pk)
        return held[1] if held is not None else None
    _remember(category.pk, token, index)
    return index


def refresh_if_out_of_date(
    category: Category, subtree_ids: list[int], version: float, *, always: bool = False
) -> bool:
    """Rebuild a category's index that was built before its last change or is past its
    freshness (a beat job, so that the web processes rarely have to); a category nobody
    has listed is left alone unless ``always``. True if it was rebuilt."""
    key = f"listing-index:{category.pk}"
    entry = cache.get(key)
    if entry is None and not always:
        return False
    if entry is not None and not always:
        _token, built_for, fresh_until = entry
        if built_for == version and time.time() < fresh_until - FRESH_SECONDS / 3:
            return False
    refreshing.refresh(
        key,
        lambda: _publish(category, subtree_ids, version),
        fresh_seconds=FRESH_SECONDS,
        version=version,
    )
    return True


def forget_local_indexes() -> None:
    """Empty this process's memory of indexes (tests; a shell after a bulk change)."""
    with _local_lock:
        _local.clear()
