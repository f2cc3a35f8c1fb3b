"""Checking data rows: each row checked whole against the catalog as it was when the file
was opened (manufacturers, categories, parameters), its cells read into database terms
(whole numbers, prices with 6 decimals, price ladders, parameter values), and the checked
rows cut into batches. Everything wrong with a row goes to the rejects, with its number.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .. import values
from ..models import (
    ImportKind,
    Lifecycle,
    PackagingKind,
    ParameterKind,
    normalize_mpn,
    normalize_name,
)
from ..spreadsheets import unquote_cell
from .columns import LADDER_KINDS, MAX_INT, PARAM_PREFIX, ROHS_WORDS, SUPPLIER_COLUMNS, TEXT_LIMITS

_INT_RE = re.compile(r"[0-9]+")
_DECIMAL_RE = re.compile(r"[0-9]{1,13}(?:\.[0-9]{1,6})?|\.[0-9]{1,6}")
_STEP_RE = re.compile(r"([0-9]+):([0-9]{1,13}(?:\.[0-9]{1,6})?|\.[0-9]{1,6})")
_MICRO = Decimal("0.000001")
_SUPPLIER_CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_url_validator = URLValidator(schemes=["http", "https"])
# Plain http(s) URLs with a DNS name, a subset of what URLValidator accepts, skip its regex.
_PLAIN_URL_RE = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::[0-9]{1,5})?(?:/[^\s]*)?",
    re.IGNORECASE,
)
LIFECYCLES = frozenset(Lifecycle.values)
NUMBER = ParameterKind.NUMBER.value
CUT_TAPE = PackagingKind.CUT_TAPE.value
REEL = PackagingKind.REEL.value


@dataclass(slots=True)
class _Row:
    """One data row, checked: everything the write needs, in database terms."""

    number: int
    maker: int | str  # manufacturer id, or the name of one to create
    maker_key: str
    mpn: str
    nmpn: str
    fields: dict[str, Any]
    params: dict[int, tuple[float | None, str]]
    stock: int | None
    ladders: dict[str, tuple[int | None, tuple[tuple[int, str], ...]]]
    offer: tuple[str, int, int, str | None] | None
    part_id: int | None = None
    is_new: bool = False

    @property
    def key(self) -> tuple[int | str, str]:
        return (self.maker if isinstance(self.maker, int) else "+" + self.maker_key, self.nmpn)


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    rejects: list[tuple[int, str, str, str]] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _maker_key(name: str) -> str:
    return normalize_name(name) or "~" + name.casefold()


@lru_cache(maxsize=65536)
def _number(text: str, unit: str) -> values.ParsedValue | str:
    """A numeric parameter value, or why it is not one; part values repeat, so cached."""
    try:
        return values.parse_value(text, unit=unit or None)
    except values.ValueParseError as exc:
        return str(exc)


def _whole(text: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int:
    if text.isdigit() and text.isascii():  # [0-9]+, the common case first
        number = int(text)
        if minimum <= number <= maximum:
            return number
    if not _INT_RE.fullmatch(text):
        raise ValueError(f"must be a whole number, at least {minimum}")
    number = int(text)
    if number < minimum:
        raise ValueError(f"must be at least {minimum}")
    if number > maximum:
        raise ValueError(f"must be at most {maximum}")
    return number


def _money(text: str) -> Decimal:
    if not _DECIMAL_RE.fullmatch(text):
        raise ValueError("must be a number with at most 6 decimals, like 0.0042")
    return Decimal(text)


def _price_text(price: Decimal) -> str:
    """A price as the database gives it back (numeric with 6 decimals, "0.012000"): rows
    carry prices so, to compare them with stored ones and to COPY them as they are."""
    return str(price.quantize(_MICRO))


def _first_break_price(ladders: dict) -> str | None:
    """Unit price at the smallest first break of the non-reel ladders, the lower price on a
    tie; None without one. The rule of services.part_listing_refresh, for a new part."""
    firsts = [breaks[0] for kind, (_, breaks) in ladders.items() if kind != REEL and breaks]
    if len(firsts) > 1:
        firsts.sort(key=lambda first: (first[0], Decimal(first[1])))
    return firsts[0][1] if firsts else None


@lru_cache(maxsize=65536)
def _ladder(text: str) -> tuple[tuple[int, str], ...]:
    """Read "1:0.012|100:0.0061": quantities rising, prices above zero and not rising.

    Cached: a series of parts shares its ladders, and a bad ladder raises (never cached)."""
    breaks: list[tuple[int, Decimal]] = []
    for step in text.split("|"):
        match = _STEP_RE.fullmatch(step)
        if match is None:
            return _ladder_read(text)  # spaces to strip, or a mistake to name
        quantity, price = int(match[1]), Decimal(match[2])
        if not 0 < quantity <= MAX_INT or not price > 0:
            return _ladder_read(text)
        if breaks and (quantity <= breaks[-1][0] or price > breaks[-1][1]):
            return _ladder_read(text)
        breaks.append((quantity, price))
    return tuple((quantity, _price_text(price)) for quantity, price in breaks)


def _ladder_read(text: str) -> tuple[tuple[int, str], ...]:
    """_ladder step by step, naming the first mistake."""
    breaks: list[tuple[int, Decimal]] = []
    for step in text.split("|"):
        quantity_text, colon, price_text = step.partition(":")
        if not colon:
            raise ValueError(f"'{step}' is not min_qty:unit_price")
        try:
            quantity = _whole(quantity_text.strip(), minimum=1)
            price = _money(price_text.strip())
        except ValueError as exc:
            raise ValueError(f"'{step}': quantity or price {exc}") from None
        if price <= 0:
            raise ValueError(f"'{step}': the price must be above 0")
        if breaks and quantity <= breaks[-1][0]:
            raise ValueError(f"quantities must rise: {quantity} follows {breaks[-1][0]}")
        if breaks and price > breaks[-1][1]:
            raise ValueError(
                f"prices must not rise with quantity: {price} at {quantity} "
                f"is above {breaks[-1][1]} at {breaks[-1][0]}"
            )
        breaks.append((quantity, price))
    return tuple((quantity, _price_text(price)) for quantity, price in breaks)


# (number, maker, maker_key, mpn, nmpn, fields, params, stock, ladders, offer): a checked row
# as it travels from the checking code (maybe another process) to the writer; see _Row.
_Checked = tuple
# (checked rows, rejects, data rows read so far, rows rejected in the batch, file error, and
# where another reader could go on from after this batch, see _checked_batches)
_Batch = tuple[
    list[_Checked], list[tuple[int, str, str, str]], int, int, str | None, tuple[int, int] | None
]


class _Checker:
    """Checks data rows against the catalog as it was when the file was opened: the
    manufacturers, categories and parameters known then. Picklable, so that a separate
    process can check the rows of a large file while this one writes them."""

    def __init__(
        self,
        *,
        kind: str,
        header: list[str],
        makers: dict[str, int],
        categories: dict[str, int],
        definitions: dict[tuple[int, str], tuple[int, str, str]],
    ) -> None:
        self.kind = kind
        self.catalog = kind == ImportKind.CATALOG
        self.header = header
        self.width = len(header)
        self.makers = dict(makers)  # those created meanwhile are the importer's to resolve
        self.categories = categories
        self.definitions = definitions
        self.param_keys = {
            name: name[len(PARAM_PREFIX) :] for name in header if name.startswith(PARAM_PREFIX)
        }

    def check(self, number: int, cells: list[str], rejects: list) -> _Checked | None:
        """The row ready to write, or None after adding everything wrong with it to
        ``rejects`` as (row, column, value, reason)."""
        errors: list[tuple[str, str, str]] = []
        if len(cells) > self.width:
            extra = ",".join(cells[self.width :])
            errors.append(
                ("", extra, f"the row has {len(cells)} cells, the header {self.width} columns")
            )
        # A quote the store's exports put before a formula-like text is not part of it. Empty
        # cells are left out (a wide file is mostly empty cells): a column not in ``cell``
        # is empty.
        cell = {
            name: unquote_cell(text.strip())
            for name, text in zip(self.header, cells, strict=False)
            if text
        }
        joined = "".join(cell.values())
        if "\ufffd" in joined:
            for name, value in cell.items():
                if "\ufffd" in value:
                    errors.append((name, value, "not UTF-8 text"))
        if "\x00" in joined:  # PostgreSQL text cannot hold one: it would fail the batch
            for name, value in cell.items():
                if "\x00" in value:
                    shown = value.replace("\x00", "\\0")
                    errors.append((name, shown, "contains a NUL character (\\0); remove it"))

        def bad(column: str, reason: str) -> None:
            errors.append((column, cell.get(column, ""), reason))

        maker: int | str = 0
        maker_key = ""
        name = cell.get("manufacturer", "")
        if not name:
            bad("manufacturer", "required")
        elif len(name) > 120:
            bad("manufacturer", "longer than 120 characters")
        else:
            maker_key = _maker_key(name)
            found = self.makers.get(maker_key)
            if found is not None:
                maker = found
            elif self.catalog:
                maker = name
            else:
                bad("manufacturer", "no such manufacturer; this feed only updates existing parts")

        mpn = cell.get("mpn", "")
        nmpn = normalize_mpn(mpn)
        if not mpn:
            bad("mpn", "required")
        elif len(mpn) > 100:
            bad("mpn", "longer than 100 characters")
        elif not nmpn:
            bad("mpn", "has no letters or digits")

        fields: dict[str, Any] = {}
        params: dict[int, tuple[float | None, str]] = {}
        if self.catalog:
            self._check_part(cell, fields, params, bad)

        stock = None
        if cell.get("stock"):
            try:
                stock = _whole(cell["stock"])
            except ValueError as exc:
                bad("stock", str(exc))

        ladders = self._check_ladders(cell, bad)
        offer = self._check_offer(cell, bad)

        if errors:
            rejects.extend((number, column, value, reason) for column, value, reason in errors)
            return None
        return (number, maker, maker_key, mpn, nmpn, fields, params, stock, ladders, offer)

    def _check_part(self, cell, fields, params, bad) -> None:
        category_id = None
        path = cell.get("category", "").strip("/")
        if not path:
            bad("category", "required")
        else:
            category_id = self.categories.get(path)
            if category_id is None:
                bad("category", "no such category")
            else:
                fields["category_id"] = category_id
        for column, limit in TEXT_LIMITS.items():
            text = cell.get(column)
            if text:
                if len(text) > limit:
                    bad(column, f"longer than {limit} characters")
                fields[column] = text
        url = cell.get("datasheet_url")
        if url:
            try:
                if len(url) > 500:
                    raise ValidationError("too long")
                if not _PLAIN_URL_RE.fullmatch(url):
                    _url_validator(url)
            except ValidationError:
                bad("datasheet_url", "not an http(s) URL of at most 500 characters")
            fields["datasheet_url"] = url
        lifecycle = cell.get("lifecycle")
        if lifecycle:
            fields["lifecycle"] = lifecycle.lower()
            if fields["lifecycle"] not in LIFECYCLES:
                bad("lifecycle", "must be one of " + ", ".join(Lifecycle.values))
        rohs = cell.get("rohs")
        if rohs:
            fields["rohs"] = ROHS_WORDS.get(rohs.lower())
            if fields["rohs"] is None:
                bad("rohs", "must be yes, no or unknown")
        for column in ("moq", "order_multiple"):
            if cell.get(column):
                try:
                    fields[column] = _whole(cell[column], minimum=1)
                except ValueError as exc:
                    bad(column, str(exc))
        param_keys = self.param_keys
        for column, text in cell.items():  # in header order, as the errors are reported
            key = param_keys.get(column)
            if key is None or not text or category_id is None:
                continue
            definition = self.definitions.get((category_id, key))
            if definition is None:
                bad(column, f"category {path} has no parameter '{key}'")
                continue
            definition_id, kind, unit = definition
            if kind == NUMBER:
                parsed = _number(text, unit)
                if isinstance(parsed, str):
                    bad(column, parsed)
                else:
                    params[definition_id] = (parsed.si_value, parsed.text)
            elif len(text) > 120:
                bad(column, "longer than 120 characters")
            else:
                params[definition_id] = (None, text)

    def _check_ladders(self, cell, bad) -> dict:
        ladders: dict[str, tuple[int | None, tuple[tuple[int, str], ...]]] = {}
        kind = cell.get("packaging_kind") or CUT_TAPE
        if kind not in LADDER_KINDS:
            bad(
                "packaging_kind",
                "must be one of " + ", ".join(LADDER_KINDS) + " (full reels go in reel_prices)",
            )
        elif cell.get("prices"):
            try:
                ladders[kind] = (None, _ladder(cell["prices"]))
            except ValueError as exc:
                bad("prices", str(exc))
        reel_text, reel_prices = cell.get("reel_quantity"), cell.get("reel_prices")
        if reel_prices and not reel_text:
            bad("reel_quantity", "required with reel_prices")
        elif reel_text and not reel_prices:
            bad("reel_prices", "required with reel_quantity")
        elif reel_text:
            try:
                reel = _whole(reel_text, minimum=1)
            except ValueError as exc:
                bad("reel_quantity", str(exc))
                return ladders
            try:
                breaks = _ladder(reel_prices)
            except ValueError as exc:
                bad("reel_prices", str(exc))
                return ladders
            uneven = [quantity for quantity, _ in breaks if quantity % reel]
            if uneven:
                bad("reel_prices", f"quantities must be whole reels of {reel}: {uneven[0]} is not")
            else:
                ladders[REEL] = (reel, breaks)
        return ladders

    def _check_offer(self, cell, bad) -> tuple[str, int, int, str | None] | None:
        code = cell.get("supplier", "").lower()
        if not code:
            for column in SUPPLIER_COLUMNS[1:]:
                if cell.get(column):
                    bad(column, "needs a supplier in the same row")
            return None
        offer_ok = True
        if not _SUPPLIER_CODE_RE.fullmatch(code):
            bad("supplier", "a supplier code is letters, digits, - and _, at most 40")
            offer_ok = False
        numbers = []
        for column, maximum in (("supplier_quantity", MAX_INT), ("supplier_lead_days", 32767)):
            if not cell.get(column):
                bad(column, "required with a supplier")
                offer_ok = False
                continue
            try:
                numbers.append(_whole(cell[column], maximum=maximum))
            except ValueError as exc:
                bad(column, str(exc))
                offer_ok = False
        cost = None
        if cell.get("supplier_cost"):
            try:
                cost = _price_text(_money(cell["supplier_cost"]))
            except ValueError as exc:
                bad("supplier_cost", str(exc))
                offer_ok = False
        return (code, numbers[0], numbers[1], cost) if offer_ok else None


def _checked_batches(
    reader: Iterator[list[str]], checker: _Checker, size: int, after: tuple[int, int] = (1, 0)
) -> Iterator[_Batch]:
    """The data rows of a CSV reader, checked and cut into batches; the reader is past the
    record numbered ``after[0]`` (1: the header), of which ``after[1]`` were data rows.

    A batch ends after ``size`` rows read, or before a row for a part already in it, so that
    row is written over the earlier one. The last batch, maybe empty, ends the file or
    carries the reason a CSV error stopped the reading.
    """
    rows: list[_Checked] = []
    keys: set[tuple[int | str, str]] = set()
    rejects: list[tuple[int, str, str, str]] = []
    number, total = after
    first = number + 1
    read = rejected = 0
    try:
        for number, cells in enumerate(reader, start=first):
            if not any(cells):
                continue
            total += 1
            read += 1
            row = checker.check(number, cells, rejects)
            if row is None:
                rejected += 1
            else:
                maker = row[1]
                key = (maker if isinstance(maker, int) else "+" + row[2], row[4])
                if key in keys:
                    yield rows, rejects, total, rejected, None, None
                    rows, keys, rejects, rejected = [], set(), [], 0
                rows.append(row)
                keys.add(key)
            if read >= size:
                yield rows, rejects, total, rejected, None, (number, total)
                rows, keys, rejects, rejected, read = [], set(), [], 0, 0
    except csv.Error as exc:
        error = f"Row {number + 1} is not readable CSV ({exc}); the rows before it were imported."
        yield rows, rejects, total, rejected, error, None
        return
    yield rows, rejects, total, rejected, None, None


