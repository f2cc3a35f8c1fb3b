"""Reading a BOM: an uploaded CSV, TSV, TXT or XLSX file, or cells pasted from a spreadsheet.

Pure functions, no database. A file is refused as a whole (``BomFileError`` with a message
that says what to do) when it breaks a limit or cannot be a BOM; otherwise the rows under the
header are read, each malformed row is reported by its row number with the reason, and the
good rows are kept.

Text files may be UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text")
or GBK/GB18030 (a Chinese Excel's CSV); the delimiter (comma, semicolon or tab) is detected.
An XLSX is checked in its zip directory (member count and uncompressed sizes) before
openpyxl opens it, read only and with formulas as their cached values, never evaluated.
The header row need not be the first: title blocks above it are skipped.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..quantities import parse_quantity

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 500
# Rows above the header searched for it (title blocks of Altium and ERP exports).
HEADER_SEARCH_ROWS = 30
# An XLSX's zip directory: how many members and how many bytes unpacked we accept.
MAX_ZIP_MEMBERS = 200
MAX_ZIP_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_SHEETS = 10
# Empty rows in a row after which a sheet is read no further (formatting down to row 1,048,576).
MAX_BLANK_ROWS = 1000

FIELDS = (
    "mpn",
    "manufacturer",
    "quantity",
    "designators",
    "value",
    "footprint",
    "customer_part",
    "description",
)
FIELD_LABELS = {
    "mpn": _("Manufacturer part number (MPN)"),
    "manufacturer": _("Manufacturer"),
    "quantity": _("Quantity per board"),
    "designators": _("Designators"),
    "value": _("Value"),
    "footprint": _("Footprint / package"),
    "customer_part": _("Your part number"),
    "description": _("Description"),
}

# Header names as the common exports and Chinese BOMs spell them, normalized by
# ``_header_key``; the earlier a name in its list, the surer the guess.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "mpn": (
        "mpn",
        "manufacturer part number",
        "manufacturer part no",
        "manufacturer part",
        "manufacturer pn",
        "mfr no",  # Mouser's "Mfr. #"
        "mfr part number",
        "mfr part no",
        "mfr part",
        "mfr pn",
        "mfg part number",
        "mfg part no",
        "mfg pn",
        "part number",
        "part no",
        "partnumber",
        "pn",
        "型号",
        "规格型号",
        "厂家型号",
        "制造商型号",
        "器件型号",
        "物料型号",
    ),
    "manufacturer": (
        "manufacturer",
        "manufacturer name",
        "mfr name",
        "mfr",
        "mfg",
        "mfg name",
        "maker",
        "brand",
        "vendor",
        "品牌",
        "厂家",
        "制造商",
        "生产厂家",
        "厂商",
    ),
    "quantity": (
        "qty per board",
        "quantity per board",
        "qty",
        "quantity",
        "order qty",
        "count",
        "用量",
        "数量",
        "单板用量",
        "单机用量",
    ),
    "designators": (
        "designator",
        "designators",
        "reference",
        "references",
        "ref des",
        "refdes",
        "reference designator",
        "reference designators",
        "ref",
        "位号",
        "标号",
        "元件位号",
    ),
    "value": ("value", "comment", "values", "值", "参数", "规格", "标称值"),
    "footprint": ("footprint", "package", "case", "package case", "封装", "封装规格"),
    "customer_part": (
        "customer part number",
        "customer part no",
        "customer no",  # Mouser's "Customer #"
        "customer reference",
        "customer pn",
        "cpn",
        "internal part number",
        "物料编码",
        "物料编号",
        "物料号",
        "料号",
    ),
    "description": ("description", "desc", "描述", "备注", "说明", "物料描述"),
}
_RANKS = {
    name: (field_name, rank)
    for field_name, names in HEADER_NAMES.items()
    for rank, name in enumerate(names)
}
_MANUFACTURER_NUMBERED = re.compile(r"^(.*?)\s*\d$")  # Altium's "Manufacturer Part Number 1"
_KEY_JUNK = re.compile(r"[\s#.:_\-()/\\*]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DELIMITERS = ("\t", ";", ",")
_DESIGNATOR_RANGE = re.compile(r"^([A-Za-z]+)(\d+)-\1?(\d+)$")


class BomFileError(ValidationError):
    """The whole file is refused; its message says why and what to do."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}"


@dataclass
class Table:
    """The cells of a BOM: the header row and the rows under it, as text."""

    file_name: str
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]
    mapping: dict[str, int] = field(default_factory=dict)

    @property
    def shape(self) -> str:
        return header_shape(self.headers)


@dataclass(frozen=True)
class RawLine:
    """One BOM line as typed, with its quantity per board read."""

    row: int
    mpn: str = ""
    manufacturer: str = ""
    quantity: int = 1
    designators: str = ""
    value: str = ""
    footprint: str = ""
    customer_part: str = ""
    description: str = ""


# --- entry points -----------------------------------------------------------------------------


def read_upload(file_name: str, data: bytes) -> Table:
    """An uploaded file's table, with its columns guessed."""
    if len(data) > MAX_FILE_BYTES:
        raise BomFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; upload at most 5 MB "
            "(save only the BOM sheet, or split it).",
            code="too_large",
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise BomFileError("The file is empty.", code="empty")
    name = (file_name or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        grids = _xlsx_grids(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise BomFileError(
            "This is an old Excel (.xls) file; save it as .xlsx or CSV and upload it again.",
            code="xls",
        )
    else:
        grids = [_text_grid(decode_text(data))]
    return _table(file_name, grids)


def read_paste(text: str) -> Table:
    """Cells copied from a spreadsheet and pasted (tab-separated text)."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise BomFileError("The pasted text is over 5 MB; upload the file instead.", "too_large")
    if not text.strip():
        raise BomFileError("Paste the BOM's cells, header row included.", code="empty")
    _refuse_binary(text)
    return _table("", [_text_grid(text)])


def table_from_lines(lines: list[dict]) -> Table:
    """A table of BOM lines sent as data (the API's JSON), one column per field."""
    headers = list(FIELDS)
    rows = [
        (number, [str(line.get(name) or "") for name in FIELDS])
        for number, line in enumerate(lines, start=1)
    ]
    if not rows:
        raise BomFileError("Send at least one BOM line.", code="empty")
    if len(rows) > MAX_ROWS:
        raise BomFileError(f"At most {MAX_ROWS:,} lines per BOM.", code="too_many_rows")
    return Table(
        file_name="",
        headers=headers,
        header_row=0,
        rows=rows,
        mapping={name: index for index, name in enumerate(FIELDS)},
    )


def extract_lines(table: Table, mapping: dict[str, int]) -> tuple[list[RawLine], list[RowProblem]]:
    """The table's rows as BOM lines by ``mapping`` (field → column index). Rows with neither
    a part number nor a value, or with a quantity that is not whole pieces, are reported."""
    require_mapping(mapping, table.headers)
    lines: list[RawLine] = []
    problems: list[RowProblem] = []
    for row_number, cells in table.rows:

        def cell(name: str, cells=cells) -> str:
            index = mapping.get(name)
            if index is None or index >= len(cells):
                return ""
            return cells[index].strip()

        values = {name: cell(name) for name in FIELDS}
        if not values["mpn"] and not values["value"]:
            if any(values.values()):
                problems.append(RowProblem(row_number, "no part number (MPN) and no value."))
            continue
        quantity_text = values.pop("quantity")
        if quantity_text:
            try:
                quantity = parse_quantity(quantity_text)
            except ValidationError as error:
                problems.append(
                    RowProblem(
                        row_number,
                        f"the quantity “{quantity_text[:40]}” is not a whole number of pieces "
                        f"({error.messages[0]})",
                    )
                )
                continue
        else:
            quantity = designator_count(values["designators"]) or 1
        lines.append(RawLine(row=row_number, quantity=quantity, **values))
    return lines, problems


def require_mapping(mapping: dict[str, int], headers: list[str]) -> None:
    if "mpn" not in mapping and "value" not in mapping:
        shown = ", ".join(f"“{h}”" for h in headers if h)[:300] or "none"
        raise BomFileError(
            "We found no part number (MPN) or value column. Name a column MPN, Manufacturer "
            f"Part Number or Value, or choose it below. Columns found: {shown}.",
            code="no_mpn_column",
        )


# --- columns ----------------------------------------------------------------------------------


def _header_key(text: str) -> str:
    key = (text or "").strip().lower().replace("#", " no ").replace("№", " no ")
    return _KEY_JUNK.sub(" ", key).strip()


def guess_column(text: str) -> tuple[str, int] | None:
    """(field, rank) a header names, or None."""
    key = _header_key(text)
    if not key:
        return None
    if key in _RANKS:
        return _RANKS[key]
    numbered = _MANUFACTURER_NUMBERED.match(key)
    if numbered and numbered.group(1) in _RANKS:
        field_name, rank = _RANKS[numbered.group(1)]
        return field_name, rank + 1
    return None


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Field → column index, the surest header for each field, the leftmost on a tie."""
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        guess = guess_column(header)
        if guess is None:
            continue
        field_name, rank = guess
        if field_name not in best or rank < best[field_name][0]:
            best[field_name] = (rank, index)
    return {name: index for name, (_, index) in best.items()}


def header_shape(headers: list[str]) -> str:
    """A digest of the header row, to remember a customer's mapping for the next file."""
    text = "\x1f".join(_header_key(h) for h in headers)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def designator_count(designators: str) -> int:
    """How many parts "R1, R2, R5-R8" places: 6."""
    count = 0
    for token in re.split(r"[\s,;，、]+", designators or ""):
        if not token:
            continue
        span = _DESIGNATOR_RANGE.match(token)
        if span and int(span.group(3)) >= int(span.group(2)):
            count += int(span.group(3)) - int(span.group(2)) + 1
        else:
            count += 1
    return count


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- text files ----------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The text of a file: UTF-16 or UTF-8 by their BOM, else UTF-8, else GB18030 (GBK)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BomFileError("The file says it is UTF-16 but is not.", "bad_encoding") from exc
    elif data.startswith(codecs.BOM_UTF8):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BomFileError("The file says it is UTF-8 but is not.", "bad_encoding") from exc
    else:
        if b"\x00" in data:
            raise _binary_error()
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise BomFileError(
                "We could not read the file's characters; save it as CSV UTF-8 and upload it "
                "again.",
                code="bad_encoding",
            )
    _refuse_binary(text)
    return text


def _binary_error() -> BomFileError:
    return BomFileError(
        "This file is not a text or spreadsheet file; upload the BOM as CSV, TXT or XLSX.",
        code="binary",
    )


def _refuse_binary(text: str) -> None:
    if "\x00" in text:
        raise _binary_error()
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(3, len(sample) // 200):
        raise _binary_error()


def _text_grid(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    delimiter = detect_delimiter(text)
    rows: list[list[str]] = []
    filled = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise BomFileError(
                f"Line {reader.line_num} could not be read as {_delimiter_name(delimiter)}-"
                "separated cells (a cell too long or an open quote); check it and upload again.",
                code="bad_line",
            ) from exc
        rows.append(row)
        _check_row(row, len(rows))
        if row:
            filled += 1
            if filled > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
                break  # enough to refuse the file as too long
    return rows


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", ";": "semicolon", ",": "comma"}[delimiter]


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most equally wide rows."""
    lines = [line for line in text.splitlines()[:40] if line.strip()][:25]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:
            continue
        counted = Counter(w for w in widths if w > 1)
        if not counted:
            continue
        width, lines_of_width = counted.most_common(1)[0]
        score = (lines_of_width, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _check_row(row: list[str], number: int) -> None:
    while row and not str(row[-1]).strip():
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise BomFileError(
            f"Row {number} has {len(row)} columns; a BOM may have at most {MAX_COLUMNS}.",
            code="too_many_columns",
        )
    for index, cell in enumerate(row):
        if len(cell) > MAX_CELL_CHARS:
            raise BomFileError(
                f"Row {number}, column {column_letter(index)} holds {len(cell):,} characters; "
                f"at most {MAX_CELL_CHARS} per cell.",
                code="cell_too_long",
            )


# --- spreadsheets --------------------------------------------------------------------------


def _not_a_spreadsheet() -> BomFileError:
    return BomFileError(
        "This file is not an Excel spreadsheet (.xlsx); save it from Excel as .xlsx or CSV.",
        code="not_xlsx",
    )


def check_zip_directory(data: bytes) -> None:
    """Refuse a zip bomb by its directory, before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_a_spreadsheet() from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise BomFileError(
                f"The spreadsheet holds {len(members):,} files inside; this is not a BOM we "
                "can read. Save it again as .xlsx or CSV.",
                code="zip_members",
            )
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members)
        if unpacked > MAX_ZIP_UNCOMPRESSED or unpacked > max(packed, 1) * MAX_ZIP_RATIO + 65536:
            raise BomFileError(
                "The spreadsheet unpacks to far more than a BOM could hold; we did not open "
                "it. Save only the BOM sheet as .xlsx or CSV.",
                code="zip_bomb",
            )
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _not_a_spreadsheet()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _xlsx_grids(data: bytes) -> list[list[list[str]]]:
    check_zip_directory(data)
    import openpyxl  # defusedxml, when installed, guards its XML parsing

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise _not_a_spreadsheet() from exc
    grids = []
    try:
        for sheet in workbook.worksheets[:MAX_SHEETS]:
            rows: list[list[str]] = []
            filled = blank_run = 0
            try:
                for values in sheet.iter_rows(values_only=True):
                    row = [_cell_text(value) for value in values]
                    rows.append(row)
                    _check_row(row, len(rows))
                    if any(cell.strip() for cell in row):
                        filled, blank_run = filled + 1, 0
                    else:
                        blank_run += 1
                    if filled > MAX_ROWS + HEADER_SEARCH_ROWS + 1 or blank_run > MAX_BLANK_ROWS:
                        break  # too long to accept, or only formatted empty rows below
            except BomFileError:
                raise
            except Exception as exc:
                raise _not_a_spreadsheet() from exc
            grids.append(rows)
    finally:
        workbook.close()
    return grids


# --- the header and the rows ----------------------------------------------------------------


def find_header_row(grid: list[list[str]]) -> int | None:
    """Index of the row that names the most known columns, among those naming a part number
    or a value; None when no row does."""
    best, best_count = None, 0
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        guesses = [guess_column(cell) for cell in row]
        named = {g[0] for g in guesses if g}
        if "mpn" not in named and "value" not in named:
            continue
        if len(named) > best_count:
            best, best_count = index, len(named)
    return best


def _refuse_duplicates(headers: list[str], header_row: int) -> None:
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _header_key(header)
        if not key:
            continue
        if key in seen and guess_column(header):
            raise BomFileError(
                f"The column “{header.strip()}” appears twice in row {header_row} (columns "
                f"{column_letter(seen[key])} and {column_letter(index)}); rename or remove one.",
                code="duplicate_columns",
            )
        seen.setdefault(key, index)


def _table(file_name: str, grids: list[list[list[str]]]) -> Table:
    if not any(any(cell.strip() for cell in row) for grid in grids for row in grid):
        raise BomFileError("The file is empty.", code="empty")
    chosen = None
    for grid in grids:
        index = find_header_row(grid)
        if index is not None:
            chosen = (grid, index)
            break
    if chosen is None:
        # No row names a known column: the first row is the header, mapped by the customer.
        grid = next(g for g in grids if any(any(c.strip() for c in row) for row in g))
        chosen = (grid, next(i for i, row in enumerate(grid) if any(c.strip() for c in row)))
    grid, index = chosen
    headers = [cell.strip() for cell in grid[index]]
    _refuse_duplicates(headers, index + 1)
    rows = [
        (number, row)
        for number, row in enumerate(grid[index + 1 :], start=index + 2)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise BomFileError(
            "The file has a header row but no BOM lines under it.", code="header_only"
        )
    if len(rows) > MAX_ROWS:
        raise BomFileError(
            f"The BOM has more than {MAX_ROWS:,} lines; split it into files of at most "
            f"{MAX_ROWS:,} lines.",
            code="too_many_rows",
        )
    return Table(
        file_name=(file_name or "")[:200],
        headers=headers,
        header_row=index + 1,
        rows=rows,
        mapping=guess_mapping(headers),
    )
