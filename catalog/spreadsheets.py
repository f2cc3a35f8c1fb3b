"""Cells the store writes into CSV and XLSX files that people open in a spreadsheet.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is read by Excel, LibreOffice and Google Sheets as a formula: a part description or a
rejected value from a supplier's file could run one on the desk of whoever opens the export
(CSV/formula injection, OWASP). ``safe_cell`` puts a single quote in front of such a text,
which the spreadsheet shows as text; every character of the value stays. MPNs such as
``+5V0-REG`` or ``-48V-PSU`` are quoted the same way, never altered.

The catalog import reads the quote back off (``unquote_cell``), so an exported file imports
to the same catalog. Numbers (``int``, ``Decimal``) are written as they are: a negative
quantity is a number, not a formula. This lives in ``catalog`` because every app that writes
spreadsheets may import it (shop, orders and promotions do).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _reads_as_formula(text: str) -> bool:
    # A value that already starts with quotes before a formula character keeps one more, so
    # unquote_cell gives back exactly what was there.
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def safe_cell(value):
    """``value`` as a spreadsheet cell that can never be read as a formula."""
    if isinstance(value, str) and _reads_as_formula(value):
        return QUOTE + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]


def unquote_cell(text: str) -> str:
    """The value a cell written by ``safe_cell`` holds."""
    if text.startswith(QUOTE) and _reads_as_formula(text[1:]):
        return text[1:]
    return text
