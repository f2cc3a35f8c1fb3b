"""Reading BOMs as engineers export them, and refusing what cannot be one."""

import io
import os
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font

from orders.bom.reader import (
    MAX_FILE_BYTES,
    BomFileError,
    designator_count,
    extract_lines,
    read_paste,
    read_upload,
)


def lines_of(table):
    lines, problems = extract_lines(table, table.mapping)
    return lines, problems


def refused(file_name, data) -> str:
    with pytest.raises(BomFileError) as caught:
        read_upload(file_name, data)
    return caught.value.messages[0]


def xlsx_bytes(rows, *, title_block=None, merged=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BOM"
    for row in title_block or []:
        sheet.append(row)
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- real-world exports ---------------------------------------------------------------------

KICAD_CSV = (
    '"Reference","Value","Datasheet","Footprint","Qty","DNP","MPN","Manufacturer"\n'
    '"C1,C2,C5","100nF","~","Capacitor_SMD:C_0402_1005Metric","3","","GRM155R71C104KA88D",'
    '"Murata"\n'
    '"R1","10k","~","Resistor_SMD:R_0603_1608Metric","1","","RC0603FR-0710KL","YAGEO"\n'
    '"U1","STM32F103C8T6","~","Package_QFP:LQFP-48_7x7mm_P0.5mm","1","","STM32F103C8T6",'
    '"STMicroelectronics"\n'
)


def test_kicad_csv_reads_mpn_manufacturer_quantity_and_designators():
    lines, problems = lines_of(read_upload("board.csv", KICAD_CSV.encode()))

    assert problems == []
    assert [(line.mpn, line.manufacturer, line.quantity) for line in lines] == [
        ("GRM155R71C104KA88D", "Murata", 3),
        ("RC0603FR-0710KL", "YAGEO", 1),
        ("STM32F103C8T6", "STMicroelectronics", 1),
    ]
    assert lines[0].designators == "C1,C2,C5"
    assert lines[0].value == "100nF"
    assert lines[0].footprint == "Capacitor_SMD:C_0402_1005Metric"
    assert lines[0].row == 2


def test_altium_xlsx_with_a_title_block_and_merged_cells_above_the_header():
    header = [
        "Comment",
        "Description",
        "Designator",
        "Footprint",
        "LibRef",
        "Quantity",
        "Manufacturer 1",
        "Manufacturer Part Number 1",
    ]
    data = xlsx_bytes(
        [
            header,
            ["10k", "Resistor 1%", "R1, R2", "0603", "RES", 2, "YAGEO", "RC0603FR-0710KL"],
            ["100nF", "Capacitor X7R", "C1", "0402", "CAP", 1.0, "Murata", "GRM155R71C104KA88D"],
        ],
        title_block=[
            ["Bill of Materials for Project [Controller.PrjPcb]"],
            ["Source Data From:", "Controller.PrjPcb"],
            ["Report Date:", "2026-11-30"],
            [],
        ],
        merged=("A1:H1", "B2:H2"),
    )
    table = read_upload("Controller.xlsx", data)
    lines, problems = lines_of(table)

    assert table.header_row == 5
    assert problems == []
    assert [(line.row, line.mpn, line.manufacturer, line.quantity) for line in lines] == [
        (6, "RC0603FR-0710KL", "YAGEO", 2),
        (7, "GRM155R71C104KA88D", "Murata", 1),
    ]
    assert lines[0].value == "10k" and lines[0].description == "Resistor 1%"


def test_xlsx_formulas_are_read_as_cached_values_never_evaluated():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["MPN", "Qty", "Description"])
    sheet.append(["RC0603FR-0710KL", 5, '=HYPERLINK("http://evil.example","x")'])
    sheet["A1"].font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)

    lines, _ = lines_of(read_upload("bom.xlsx", out.getvalue()))

    assert lines[0].description == ""  # no cached value was saved, and none is computed


JLCPCB_CSV = (
    "Comment,Designator,Footprint,LCSC Part #\n"
    '100nF,"C1,C2,C3,C4",C0402,C1525\n'
    "10kΩ,R1,R0603,C25804\n"
)


def test_jlcpcb_csv_without_mpn_reads_values_footprints_and_counts_designators():
    lines, problems = lines_of(read_upload("bom_jlc.csv", JLCPCB_CSV.encode()))

    assert problems == []
    assert [(line.value, line.footprint, line.quantity, line.mpn) for line in lines] == [
        ("100nF", "C0402", 4, ""),
        ("10kΩ", "R0603", 1, ""),
    ]


def test_gbk_csv_with_chinese_headers():
    text = (
        "序号,物料编码,型号,品牌,封装,位号,用量,备注\n"
        '1,A-1001,RC0603FR-0710KL,国巨,0603,"R1,R2",2,电阻\n'
        "2,A-1002,GRM155R71C104KA88D,村田,0402,C1,1,电容\n"
    )
    lines, problems = lines_of(read_upload("物料清单.csv", text.encode("gbk")))

    assert problems == []
    assert [(line.customer_part, line.mpn, line.manufacturer, line.quantity) for line in lines] == [
        ("A-1001", "RC0603FR-0710KL", "国巨", 2),
        ("A-1002", "GRM155R71C104KA88D", "村田", 1),
    ]
    assert lines[0].description == "电阻" and lines[0].designators == "R1,R2"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_unicode_text_from_excel(encoding):
    text = "型号\t厂家\t数量\r\nRC0603FR-0710KL\tYAGEO\t1,000\r\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data

    lines, problems = lines_of(read_upload("unicode.txt", data))

    assert problems == []
    assert [(line.mpn, line.manufacturer, line.quantity) for line in lines] == [
        ("RC0603FR-0710KL", "YAGEO", 1000)
    ]


def test_utf8_with_bom_and_semicolons_as_a_european_excel_saves_it():
    text = "\ufeffMPN;Manufacturer;Qty;Description\nGRM155R71C104KA88D;Murata;10;Cap 0,1uF\n"

    lines, _ = lines_of(read_upload("bom.csv", text.encode("utf-8")))

    assert [(line.mpn, line.quantity, line.description) for line in lines] == [
        ("GRM155R71C104KA88D", 10, "Cap 0,1uF")
    ]


def test_pasted_cells_from_a_spreadsheet():
    pasted = "Part Number\tMfr\tQty\tRef\nRC0603FR-0710KL\tYAGEO\t2.5k\tR1\n\n"

    lines, _ = lines_of(read_paste(pasted))

    assert [(line.mpn, line.quantity, line.designators) for line in lines] == [
        ("RC0603FR-0710KL", 2500, "R1")
    ]


def test_mouser_cart_export():
    text = (
        "Mouser #,Mfr. #,Manufacturer,Customer #,Description,Order Qty.,Price (USD)\n"
        "603-RC0603FR-0710KL,RC0603FR-0710KL,YAGEO,CP-7,Thick Film Resistors,100,0.10\n"
    )
    lines, _ = lines_of(read_upload("mouser.csv", text.encode()))

    assert [(line.mpn, line.manufacturer, line.customer_part, line.quantity) for line in lines] == [
        ("RC0603FR-0710KL", "YAGEO", "CP-7", 100)
    ]


def test_digikey_export():
    text = (
        "Index,Quantity,Digi-Key Part Number,Manufacturer Part Number,Manufacturer,"
        "Description,Customer Reference\n"
        "1,25,311-10.0KHRCT-ND,RC0603FR-0710KL,YAGEO,RES 10K 1%,MAIN-R1\n"
    )
    lines, _ = lines_of(read_upload("digikey.csv", text.encode()))

    assert [(line.mpn, line.customer_part, line.quantity) for line in lines] == [
        ("RC0603FR-0710KL", "MAIN-R1", 25)
    ]


def test_mpns_beginning_with_plus_or_minus_are_kept_as_typed():
    text = "MPN,Qty\n+5V-REG,1\n-48V-MOD,2\n"

    lines, _ = lines_of(read_upload("bom.csv", text.encode()))

    assert [line.mpn for line in lines] == ["+5V-REG", "-48V-MOD"]


def test_a_malformed_row_is_reported_by_number_while_the_good_rows_are_kept():
    text = "MPN,Qty\nRC0603FR-0710KL,10\nGRM155R71C104KA88D,ten\n,,\nLM358,1e5\n,,note only\n"
    text = text.replace(",,note only", ",")  # a blank row is skipped silently
    text += "STM32F103C8T6,1\n"

    lines, problems = lines_of(read_upload("bom.csv", text.encode()))

    assert [line.mpn for line in lines] == ["RC0603FR-0710KL", "STM32F103C8T6"]
    assert [problem.row for problem in problems] == [3, 5]
    assert "“ten” is not a whole number of pieces" in str(problems[0])
    assert str(problems[1]).startswith("Row 5: the quantity “1e5”")


def test_a_row_with_neither_part_number_nor_value_is_reported():
    text = "MPN,Value,Description,Qty\nRC0603FR-0710KL,,,1\n,,Test point,1\n"

    lines, problems = lines_of(read_upload("bom.csv", text.encode()))

    assert len(lines) == 1
    assert [str(p) for p in problems] == ["Row 3: no part number (MPN) and no value."]


def test_designator_ranges_are_counted():
    assert designator_count("R1, R2, R5-R8") == 6
    assert designator_count("C1 C2，C3") == 3


# --- refusals ---------------------------------------------------------------------------------


def test_a_file_over_5_mb_is_refused():
    message = refused("big.csv", b"MPN,Qty\n" + b"A" * MAX_FILE_BYTES)
    assert "upload at most 5 MB" in message


def test_more_than_5000_rows_is_refused():
    text = "MPN,Qty\n" + "RC0603FR-0710KL,1\n" * 5001
    assert "more than 5,000 lines" in refused("bom.csv", text.encode())


def test_5000_rows_are_read():
    text = "MPN,Qty\n" + "RC0603FR-0710KL,1\n" * 5000
    assert len(read_upload("bom.csv", text.encode()).rows) == 5000


def test_blank_rows_between_lines_do_not_count_towards_the_limit():
    text = "MPN,Qty\n" + "RC0603FR-0710KL,1\n,\n\n" * 5000

    assert len(read_upload("bom.csv", text.encode()).rows) == 5000


def test_an_xlsx_formatted_far_below_its_lines_is_read_without_the_empty_rows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["MPN", "Qty"])
    sheet.append(["RC0603FR-0710KL", 1])
    sheet.cell(row=200_000, column=1).value = ""  # an empty cell, formatted, far below
    sheet.cell(row=200_000, column=1).font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)

    assert [row for _, row in read_upload("bom.xlsx", out.getvalue()).rows] == [
        ["RC0603FR-0710KL", "1"]
    ]


def test_more_than_50_columns_is_refused():
    header = ",".join(["MPN"] + [f"C{i}" for i in range(60)])
    assert "61 columns" in refused("bom.csv", f"{header}\nX1,1\n".encode())


def test_a_cell_over_500_characters_is_refused():
    text = "MPN,Description\nRC0603FR-0710KL," + "x" * 501 + "\n"
    assert refused("bom.csv", text.encode()) == (
        "Row 2, column B holds 501 characters; at most 500 per cell."
    )


def test_a_very_long_line_is_refused():
    text = "MPN,Description\n" + '"' + "y" * 200_000 + "\n"
    assert "could not be read" in refused("bom.csv", text.encode())


def test_an_xlsx_that_is_not_a_spreadsheet_is_refused():
    assert "not an Excel spreadsheet" in refused("bom.xlsx", b"MPN,Qty\nX,1\n")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("word/document.xml", "<w/>")
    assert "not an Excel spreadsheet" in refused("bom.xlsx", archive.getvalue())


def test_a_zip_bomb_is_refused_from_its_directory():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("[Content_Types].xml", "<Types/>")
        zipped.writestr("xl/workbook.xml", "<workbook/>")
        zipped.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert "unpacks to far more than a BOM" in refused("bom.xlsx", archive.getvalue())


def test_a_zip_with_thousands_of_members_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for number in range(300):
            zipped.writestr(f"xl/m{number}.xml", "")
    assert "300 files inside" in refused("bom.xlsx", archive.getvalue())


def test_an_old_xls_is_refused_with_what_to_do():
    assert "save it as .xlsx or CSV" in refused("bom.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@pytest.mark.parametrize("data", [b"", b"\n\r\n  ", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    assert refused("bom.csv", data) == "The file is empty."


def test_an_empty_spreadsheet_is_refused():
    assert refused("bom.xlsx", xlsx_bytes([])) == "The file is empty."


def test_a_header_without_lines_is_refused():
    assert "no BOM lines under it" in refused("bom.csv", b"MPN,Manufacturer,Qty\n")


def test_no_mpn_or_value_column_is_refused_naming_the_columns_found():
    table = read_upload("bom.csv", b"Item,Notes\n1,hello\n")
    assert (table.headers, table.mapping) == (["Item", "Notes"], {})
    with pytest.raises(BomFileError) as caught:
        lines_of(table)
    message = caught.value.messages[0]
    assert "no part number (MPN) or value column" in message
    assert "\u201cItem\u201d, \u201cNotes\u201d" in message


def test_duplicate_columns_are_refused():
    message = refused("bom.csv", b"MPN,Qty,MPN\nA1,1,B1\n")
    assert message == (
        "The column \u201cMPN\u201d appears twice in row 1 (columns A and C); rename or remove one."
    )


def test_binary_junk_is_refused():
    junk = bytes(range(256)) * 40 + os.urandom(2048)
    assert "not a text or spreadsheet file" in refused("bom.csv", junk)


def test_nul_bytes_are_refused():
    assert "not a text or spreadsheet file" in refused("bom.csv", b"MPN,Qty\nA1\x00,1\n")


def test_pasted_text_with_nul_is_refused():
    with pytest.raises(BomFileError):
        read_paste("MPN\tQty\nA1\x00\t1\n")
