"""Engineering values: read "4k7", "100 nF", "±1 %" or "1/4W" as SI numbers and write them back.

A numeric part parameter stores its SI base value beside the display text, so that "10k" and
"10000" compare equal and range filters work on plain floats. The CSV import, the demo catalog,
the category range filters and the search box all go through this module so that they agree on
what a value is. Standard library only, so it imports anywhere without Django.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Context, Decimal

__all__ = [
    "CANONICAL_UNITS",
    "MAX_TEXT_LENGTH",
    "ParsedValue",
    "ValueParseError",
    "format_value",
    "parse_value",
    "split_value_tokens",
    "try_parse_value",
]

CANONICAL_UNITS: tuple[str, ...] = ("Ω", "F", "H", "V", "A", "W", "Hz", "%", "°C", "s", "B")
MAX_TEXT_LENGTH = 64

_PREFIX_EXPONENTS: dict[str, int] = {
    "p": -12,
    "n": -9,
    "u": -6,
    "µ": -6,
    "m": -3,
    "k": 3,
    "K": 3,
    "M": 6,
    "G": 9,
    "T": 12,
}
_DISPLAY_PREFIXES: dict[int, str] = {
    -12: "p",
    -9: "n",
    -6: "µ",
    -3: "m",
    0: "",
    3: "k",
    6: "M",
    9: "G",
    12: "T",
}
_UNIT_SYMBOLS: dict[str, str] = {
    "Ω": "Ω",
    "F": "F",
    "f": "F",
    "H": "H",
    "h": "H",
    "V": "V",
    "v": "V",
    "A": "A",
    "a": "A",
    "W": "W",
    "w": "W",
    "%": "%",
    "°C": "°C",
    "s": "s",
    "B": "B",
}
_UNIT_WORDS: dict[str, str] = {"ohm": "Ω", "ohms": "Ω", "hz": "Hz"}
_RKM_UNITS: dict[str, str] = {"R": "Ω", "r": "Ω", "V": "V", "v": "V"}
_PREFIXABLE_UNITS = frozenset(CANONICAL_UNITS) - {"%", "°C"} | {""}

_CHAR_MAP = str.maketrans({"\u2126": "Ω", "\u03bc": "µ", "\u2103": "°C", "\u2212": "-"})
_WHITESPACE_RE = re.compile(r"\s+")
_RKM_RE = re.compile(r"([0-9]*)([RrVvpnuµmkKMGT])([0-9]{0,3})(.*)")
_NUMBER_RE = re.compile(r"([0-9]+)/([0-9]+)|([0-9]*\.?[0-9]+)(?:[eE]([+-]?[0-9]+))?")
_QUERY_SPLIT_RE = re.compile(r"[\s,;]+")

# Wide enough to keep every digit of a MAX_TEXT_LENGTH mantissa, so scaling is exact.
_EXACT = Context(prec=100)
# Fifteen digits round away binary noise (0.1 * 3) and still round-trip real part values.
_DISPLAY = Context(prec=15)
_SMALLEST = Decimal("1e-24")
_LARGEST = Decimal("1e24")
_MAX_EXPONENT = 100
_QUERY_JOIN = 3


class ValueParseError(ValueError):
    """The text is not an engineering value; the message says why, quoting the text."""


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """A value as stored: SI base number, canonical unit ("" if none) and display text.

    ``si_value`` is in base units except for % and °C, which stay percent and degrees.
    """

    si_value: float
    unit: str
    text: str


@dataclass(frozen=True, slots=True)
class _Number:
    magnitude: Decimal
    exponent: int
    suffix: str
    rkm_unit: str | None = None
    rkm_prefix: bool = False


def parse_value(text: str, *, unit: str | None = None) -> ParsedValue:
    """Read an engineering value such as "4k7", "100 nF", "±1%" or "1/4W".

    ``unit`` is the parameter's expected unit: a bare number or prefix ("10k") takes it, and a
    value written in another unit raises, so "10V" never lands in a resistance column. Unknown
    units ("mm", "ppm/°C") are accepted as opaque labels that take no SI prefix.
    """
    return _read(text, unit)[0]


def try_parse_value(text: str, *, unit: str | None = None) -> ParsedValue | None:
    """Like :func:`parse_value`, but None for text that is not a value (filters, search)."""
    try:
        return parse_value(text, unit=unit)
    except ValueParseError:
        return None


def format_value(si_value: float, unit: str) -> str:
    """Display text with the best SI prefix and no trailing zeros: 1e-7, "F" -> "100nF".

    Digits are those of the shortest decimal (at most 15 significant) that is the value, so
    real part values print as written (4.7µF, 32.768kHz) and float noise disappears.
    % and °C, and units this module does not know, never take a prefix.
    """
    if not math.isfinite(si_value):
        raise ValueError(f"cannot format {si_value!r} as an engineering value")
    if si_value == 0:
        return f"0{unit}"
    number = _DISPLAY.plus(Decimal(si_value)).normalize(_DISPLAY)
    exponent = 0
    if unit in _PREFIXABLE_UNITS:
        exponent = min(max(number.adjusted() // 3 * 3, -12), 12)
    digits = format(number.scaleb(-exponent, _EXACT), "f")
    return f"{digits}{_DISPLAY_PREFIXES[exponent]}{unit}"


def split_value_tokens(query: str) -> tuple[list[ParsedValue], list[str]]:
    """Split a search query into the values it names and the remaining words.

    A token counts as a value only when it carries a unit, an SI prefix or an RKM letter
    ("100nF", "10k", "4R7", "1%"): bare numbers such as "0402" are package codes far more often
    than values. "100 nF" split by a space is joined back; commas and semicolons separate too.
    """
    tokens = [token for token in _QUERY_SPLIT_RE.split(query) if token]
    values: list[ParsedValue] = []
    rest: list[str] = []
    position = 0
    while position < len(tokens):
        for width in range(min(_QUERY_JOIN, len(tokens) - position), 0, -1):
            value = _read_search_value(" ".join(tokens[position : position + width]))
            if value is not None:
                values.append(value)
                position += width
                break
        else:
            rest.append(tokens[position])
            position += 1
    return values, rest


def _read_search_value(token: str) -> ParsedValue | None:
    try:
        value, marked = _read(token, None)
    except ValueParseError:
        return None
    return value if marked else None


def _read(text: str, hint: str | None) -> tuple[ParsedValue, bool]:
    """Parse ``text``; the flag says whether a unit, prefix or RKM letter was written."""
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    body = _WHITESPACE_RE.sub(" ", text.translate(_CHAR_MAP)).strip()
    body = body.replace("+/-", "±").replace("+-", "±")
    if not body:
        raise ValueParseError("empty text is not an engineering value")
    if len(body) > MAX_TEXT_LENGTH:
        raise ValueParseError(
            f"{_quote(text)} is too long for an engineering value "
            f"({len(body)} characters, at most {MAX_TEXT_LENGTH})"
        )
    if "," in body:
        raise ValueParseError(
            f"{_quote(text)} is not an engineering value: no thousands separators or "
            "decimal commas, write 1000 or 4.7"
        )
    expected = None if hint is None else _canonical_unit(hint)
    sign = ""
    if body[0] in "±+-":
        sign, body = body[0], body[1:].lstrip(" ")
    number = _read_rkm(body) or _read_plain(body, text)
    if number is None:
        raise _not_a_value(text)

    prefix_exponent: int | None = None
    written: str | None = None
    if number.suffix:
        prefix_exponent, written = _read_suffix(
            number.suffix, expected, text, allow_prefix=not number.rkm_prefix
        )
    written = written or number.rkm_unit
    unit = written if written is not None else (expected if expected is not None else "")
    if expected is not None and unit != expected:
        raise ValueParseError(f"{_quote(text)} has unit {unit}, expected {expected or 'no unit'}")
    prefixed = prefix_exponent is not None or number.rkm_prefix
    if prefixed and unit not in _PREFIXABLE_UNITS:
        raise ValueParseError(f"{_quote(text)}: unit {unit} takes no SI prefix")

    si_value = _to_float(number.magnitude, number.exponent + (prefix_exponent or 0), text)
    if sign == "-" and si_value:
        si_value = -si_value
    value = ParsedValue(si_value=si_value, unit=unit, text=format_value(si_value, unit))
    return value, written is not None or prefixed


def _read_rkm(body: str) -> _Number | None:
    """Read letter-as-decimal-point codes: 4R7, R10, 0R, 3V3, 4k7, 2M2, 4n7F."""
    match = _RKM_RE.fullmatch(body)
    if match is None:
        return None
    whole, mark, fraction, rest = match.groups()
    magnitude = Decimal(f"{whole or 0}.{fraction or 0}")
    if mark in _RKM_UNITS:
        valid = not rest and bool(whole or fraction) and (mark in "Rr" or bool(whole and fraction))
        return _Number(magnitude, 0, "", rkm_unit=_RKM_UNITS[mark]) if valid else None
    if not (whole and fraction):
        return None
    return _Number(magnitude, _PREFIX_EXPONENTS[mark], rest.lstrip(" "), rkm_prefix=True)


def _read_plain(body: str, text: str) -> _Number | None:
    """Read "1.5", ".1", "1e-6" or "1/4" and leave the rest of ``body`` as the suffix."""
    match = _NUMBER_RE.match(body)
    if match is None:
        return None
    numerator, denominator, mantissa, exponent = match.groups()
    suffix = body[match.end() :].lstrip(" ")
    if mantissa is None:
        if int(denominator) == 0:
            raise ValueParseError(f"{_quote(text)} divides by zero")
        return _Number(_EXACT.divide(Decimal(numerator), Decimal(denominator)), 0, suffix)
    power = int(exponent or 0)
    if abs(power) > _MAX_EXPONENT:
        raise _out_of_range(text)
    return _Number(Decimal(mantissa), power, suffix)


def _read_suffix(
    suffix: str, expected: str | None, text: str, *, allow_prefix: bool
) -> tuple[int | None, str | None]:
    """Split what follows the number into an SI prefix exponent and a canonical unit."""
    unit = _lookup_unit(suffix, expected)
    if unit is not None:
        return None, unit
    if allow_prefix:
        for exponent, tail in _prefix_options(suffix):
            tail = tail.lstrip(" ")
            if not tail:
                return exponent, None
            unit = _lookup_unit(tail, expected)
            if unit is not None:
                return exponent, unit
    if suffix == "C":
        raise ValueParseError(f"{_quote(text)} is ambiguous: write °C for degrees Celsius")
    raise _not_a_value(text)


def _prefix_options(suffix: str) -> list[tuple[int, str]]:
    """SPICE's "meg" is tried before "m", so "1meg" is 1e6 and "1m" is 1e-3."""
    options = []
    if suffix[:3].casefold() == "meg":
        options.append((6, suffix[3:]))
    if suffix[0] in _PREFIX_EXPONENTS:
        options.append((_PREFIX_EXPONENTS[suffix[0]], suffix[1:]))
    return options


def _lookup_unit(word: str, expected: str | None) -> str | None:
    """Canonical unit for a spelling; "C" is Celsius only where °C is expected."""
    unit = _UNIT_SYMBOLS.get(word) or _UNIT_WORDS.get(word.casefold())
    if unit is not None:
        return unit
    if expected == "°C" and word == "C":
        return "°C"
    if expected and expected not in CANONICAL_UNITS and word == expected:
        return expected
    return None


def _canonical_unit(hint: str) -> str:
    return _lookup_unit(hint, None) or hint


def _to_float(magnitude: Decimal, exponent: int, text: str) -> float:
    """Scale exactly in decimal and round once, so "0.1u" and "100n" give the same float."""
    value = magnitude.scaleb(exponent, _EXACT)
    if value and not _SMALLEST <= value <= _LARGEST:
        raise _out_of_range(text)
    return float(value)


def _quote(text: str) -> str:
    return repr(text if len(text) <= 40 else f"{text[:37]}...")


def _not_a_value(text: str) -> ValueParseError:
    return ValueParseError(f"{_quote(text)} is not an engineering value")


def _out_of_range(text: str) -> ValueParseError:
    return ValueParseError(
        f"{_quote(text)} is out of range (magnitude must be between 1e-24 and 1e24)"
    )
