"""Quantities as people type them, parsed by one rule for the cart, checkout, BOM tool and API.

Accepted: whole pieces with thousands separators or spaces ("1,000", "1 000", "1_000"), and
thousands with a ``k`` ("1k", "2.5k" = 2,500). Full-width digits and commas typed with a
Chinese input method ("１０００", "1，000") count as their ASCII forms. Refused with a message:
exponents ("1e5"), powers ("10^20"), words, fractions of a piece, zero and negatives — and any
other digit-looking character ('²', Arabic-Indic digits), which ``str.isdigit`` would pass.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# Beyond every per-line maximum: longer numbers are read as this, and the maximums refuse it.
BEYOND_ANY_MAXIMUM = 10**15

_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．ｋＫ\u3000", "0123456789,.kK ")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[, _][0-9]{3})+")
_PLAIN = re.compile(r"[0-9]+")
_THOUSANDS = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*[kK]")
_ID = re.compile(r"[0-9]{1,18}")

HINT = gettext_lazy("Enter the quantity as a whole number of pieces, e.g. 100, 1,000 or 2.5k.")


def parse_quantity(value, *, allow_zero: bool = False) -> int:
    """A quantity as typed, as whole pieces; anything else is a ValidationError."""
    if isinstance(value, bool):
        raise ValidationError(HINT, code="not_a_number")
    if isinstance(value, int):
        quantity = value
    else:
        quantity = _parse_text(str(value if value is not None else ""))
    if quantity < (0 if allow_zero else 1):
        raise ValidationError(gettext_lazy("The quantity must be at least 1."), code="not_positive")
    return quantity


def _parse_text(text: str) -> int:
    text = text.translate(_FULL_WIDTH).strip()
    negative = text.startswith("-")
    body = text.lstrip("+-").strip() if text[:1] in "+-" else text
    if not body:
        raise ValidationError(HINT, code="not_a_number")
    if _PLAIN.fullmatch(body) or _GROUPED.fullmatch(body):
        digits = re.sub(r"[, _]", "", body).lstrip("0") or "0"
        quantity = int(digits) if len(digits) <= 15 else BEYOND_ANY_MAXIMUM
    elif match := _THOUSANDS.fullmatch(body):
        number = match.group(1)
        if len(number) > 15:
            quantity = BEYOND_ANY_MAXIMUM
        else:
            try:
                pieces = Decimal(number) * 1000
            except InvalidOperation as exc:  # pragma: no cover - the pattern admits decimals only
                raise ValidationError(HINT, code="not_a_number") from exc
            if pieces != pieces.to_integral_value():
                raise ValidationError(
                    f"{body} is not a whole number of pieces; enter e.g. "
                    f"{int(pieces):,} or {int(pieces) + 1:,}.",
                    code="not_whole",
                )
            quantity = int(pieces)
    else:
        raise ValidationError(HINT, code="not_a_number")
    return -quantity if negative else quantity


def parse_id(value) -> int | None:
    """A row id from a form or query string: ASCII digits only (never '²'), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    text = str(value if value is not None else "").strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None
