"""The priced BOM as XLSX and CSV files, safe to open in a spreadsheet.

Free-text cells beginning with = + - @, a tab or a carriage return would be read as formulas
by Excel, LibreOffice or Google Sheets: they are written with a leading quote, so
"=HYPERLINK(...)" and an MPN like "+5V-REG" show as typed, never run. Numbers are numbers.
"""

from __future__ import annotations

import csv
import io

import openpyxl

from .selectors import PricedBom

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "Rows",
    "Designators",
    "Your part number",
    "MPN (as typed)",
    "Manufacturer (as typed)",
    "Value",
    "Footprint",
    "Description",
    "Qty per board",
    "Needed",
    "Match",
    "Part",
    "Manufacturer",
    "SKU",
    "Ordered",
    "Packaging",
    "Unit price",
    "Extended price",
    "Availability",
    "Warning",
)


def safe_cell(value):
    """A cell value a spreadsheet shows as typed: text that looks like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _rows(priced: PricedBom) -> list[list]:
    rows = []
    for row in priced.rows:
        line, part = row.first, row.part
        rows.append(
            [
                row.rows,
                row.designators,
                line.customer_part,
                line.mpn,
                line.manufacturer,
                line.value,
                line.footprint,
                line.description,
                row.per_board,
                row.needed,
                line.get_match_display(),
                part.mpn if part else "",
                part.manufacturer.name if part else "",
                part.sku if part else "",
                row.ordered or None,
                row.purchase.label if row.purchase else "",
                row.unit_price,
                row.total,
                row.cover.message if row.cover else "",
                row.warning,
            ]
        )
    rows.append(
        ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "Total", priced.total]
        + ["", ""]
    )
    return rows


def _text_rows(priced: PricedBom) -> list[list]:
    return [[safe_cell(cell) for cell in row] for row in _rows(priced)]


def bom_csv(priced: PricedBom) -> bytes:
    """UTF-8 with a BOM, so Excel reads Chinese text right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS[:16], f"Unit price ({priced.currency})", *COLUMNS[17:]])
    for row in _text_rows(priced):
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def bom_xlsx(priced: PricedBom) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("BOM")
    sheet.append([*COLUMNS[:16], f"Unit price ({priced.currency})", *COLUMNS[17:]])
    for row in _text_rows(priced):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
