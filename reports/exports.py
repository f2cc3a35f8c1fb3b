"""A report as CSV or XLSX; every text cell goes through catalog.spreadsheets.safe_cell, so
a part number or a search typed as "=HYPERLINK(…)" is shown as text, never run."""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook

from catalog.spreadsheets import safe_row

from .selectors import Report

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _cells(row) -> list:
    return safe_row([str(value) if hasattr(value, "__html__") else value for value in row])


def report_csv(report: Report, *, filename: str) -> HttpResponse:
    """Every table one after another, each under its title, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, table in enumerate(report.tables):
        if index:
            writer.writerow([])
        writer.writerow(_cells([table.title]))
        writer.writerow(_cells(table.headers))
        for row in table.rows:
            writer.writerow(_cells(["" if value is None else value for value in row]))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def report_xlsx(report: Report, *, filename: str) -> HttpResponse:
    """One sheet per table, headers bold, numbers as numbers."""
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    book.remove(book.active)
    for index, table in enumerate(report.tables, start=1):
        sheet = book.create_sheet(title=_SHEET_UNSAFE.sub("-", f"{index} {table.title}")[:31])
        sheet.append(_cells(table.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(_cells(row))
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column[:200])
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    body = io.BytesIO()
    book.save(body)
    response = HttpResponse(
        body.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
