"""Rows with bad data are rejected whole and reported; the good rows around them still land."""

import csv
from decimal import Decimal

import pytest

from catalog.imports import ImportFileError, import_catalog_file
from catalog.models import (
    Manufacturer,
    PackagingOption,
    ParameterValue,
    Part,
    PriceBreak,
    Stock,
    SupplierOffer,
)
from tests.catalog.factories_import import part_row, read_report, resistor_category, write_csv
from tests.factories import CategoryFactory, ParameterDefinitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def category():
    return resistor_category()


BAD_ROWS = {
    "missing mpn": ({"mpn": ""}, "mpn", "required"),
    "mpn without letters or digits": ({"mpn": "--"}, "mpn", "no letters or digits"),
    "missing manufacturer": ({"manufacturer": ""}, "manufacturer", "required"),
    "unknown category": ({"category": "capacitors"}, "category", "no such category"),
    "price that is not a number": ({"prices": "1:abc"}, "prices", "at most 6 decimals"),
    "price with 7 decimals": ({"prices": "1:0.0000001"}, "prices", "at most 6 decimals"),
    "zero price": ({"prices": "1:0"}, "prices", "above 0"),
    "price break without colon": ({"prices": "1-0.01"}, "prices", "min_qty:unit_price"),
    "rising price ladder": ({"prices": "1:0.01|100:0.02"}, "prices", "must not rise"),
    "falling quantities": ({"prices": "100:0.01|10:0.005"}, "prices", "quantities must rise"),
    "negative stock": ({"stock": "-5"}, "stock", "whole number"),
    "fractional stock": ({"stock": "1.5"}, "stock", "whole number"),
    "bad parameter value": (
        {"param:resistance": "ten"},
        "param:resistance",
        "not an engineering value",
    ),
    "parameter in the wrong unit": ({"param:resistance": "10V"}, "param:resistance", "expected Ω"),
    "bad datasheet url": ({"datasheet_url": "ftp://x/y.pdf"}, "datasheet_url", "http(s) URL"),
    "bad lifecycle": ({"lifecycle": "retired"}, "lifecycle", "must be one of"),
    "bad rohs": ({"rohs": "maybe"}, "rohs", "yes, no or unknown"),
    "zero moq": ({"moq": "0"}, "moq", "at least 1"),
    "description too long": ({"description": "x" * 501}, "description", "longer than 500"),
    "reel packaging kind": ({"packaging_kind": "reel"}, "packaging_kind", "reel_prices"),
    "reel prices without reel quantity": (
        {"reel_prices": "5000:0.002", "reel_quantity": ""},
        "reel_quantity",
        "required with reel_prices",
    ),
    "reel prices not whole reels": (
        {"reel_prices": "2500:0.002", "reel_quantity": "5000"},
        "reel_prices",
        "whole reels of 5000",
    ),
    "supplier without lead days": ({"supplier_lead_days": ""}, "supplier_lead_days", "required"),
    "supplier quantity without supplier": (
        {"supplier": ""},
        "supplier_quantity",
        "needs a supplier",
    ),
    "bad supplier code": ({"supplier": "HK stock!"}, "supplier", "supplier code"),
}


@pytest.mark.parametrize(("overrides", "column", "reason"), BAD_ROWS.values(), ids=list(BAD_ROWS))
def test_bad_row_is_reported_and_the_good_rows_land(tmp_path, overrides, column, reason):
    path = write_csv(
        tmp_path,
        [part_row(mpn="GOOD-1"), part_row(**{"mpn": "BAD-1", **overrides}), part_row(mpn="GOOD-2")],
        columns=list(part_row()) + ["reel_quantity", "reel_prices", "packaging_kind"],
    )

    result = import_catalog_file(path=path)

    assert (result.created, result.rejected) == (2, 1)
    [line] = [line for line in read_report(result.report_path) if line["column"] == column]
    assert line["row"] == "3"
    assert reason in line["reason"]
    assert line["value"] == part_row(**overrides).get(column, "")[:500]


@pytest.mark.parametrize(("overrides", "column", "reason"), BAD_ROWS.values(), ids=list(BAD_ROWS))
def test_bad_row_writes_nothing(tmp_path, overrides, column, reason):
    path = write_csv(
        tmp_path,
        [part_row(**{"mpn": "BAD-1", **overrides})],
        columns=list(part_row()) + ["reel_quantity", "reel_prices", "packaging_kind"],
    )

    import_catalog_file(path=path)

    for model in (Part, Stock, PackagingOption, PriceBreak, ParameterValue, SupplierOffer):
        assert not model.objects.exists(), model.__name__


def test_every_bad_cell_of_a_row_is_reported(tmp_path):
    path = write_csv(tmp_path, [part_row(stock="-1", prices="x", lifecycle="old")])

    result = import_catalog_file(path=path)

    report = read_report(result.report_path)
    assert {line["column"] for line in report} == {"stock", "prices", "lifecycle"}
    assert result.rejected == 1


def test_parameter_the_category_lacks_is_rejected(tmp_path):
    capacitors = CategoryFactory(slug="capacitors")
    ParameterDefinitionFactory(category=capacitors, key="capacitance", unit="F")
    path = write_csv(
        tmp_path,
        [part_row(**{"param:capacitance": "100n"})],
    )

    result = import_catalog_file(path=path)

    [line] = read_report(result.report_path)
    assert line["column"] == "param:capacitance"
    assert "has no parameter 'capacitance'" in line["reason"]


def test_row_with_more_cells_than_the_header_is_rejected(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_text("manufacturer,mpn,category\nYAGEO,RC1,resistors,extra\n", encoding="utf-8")

    result = import_catalog_file(path=path)

    assert result.rejected == 1
    assert "4 cells" in read_report(result.report_path)[0]["reason"]


def test_row_that_is_not_utf8_is_rejected_and_the_rest_lands(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_bytes(
        b"manufacturer,mpn,category,description\n"
        b"YAGEO,RC1,resistors,caf\xe9\n"
        b"YAGEO,RC2,resistors,fine\n"
    )

    result = import_catalog_file(path=path)

    assert list(Part.objects.values_list("mpn", flat=True)) == ["RC2"]
    assert read_report(result.report_path)[0]["reason"] == "not UTF-8 text"


def test_stock_below_reserved_rejects_the_whole_row(tmp_path):
    import_catalog_file(path=write_csv(tmp_path, [part_row(stock="100")]))
    Stock.objects.update(reserved=60)

    result = import_catalog_file(
        path=write_csv(tmp_path, [part_row(stock="50", description="changed", prices="1:0.5")])
    )

    [line] = read_report(result.report_path)
    assert (line["row"], line["column"], line["value"]) == ("2", "stock", "50")
    assert line["reason"] == "below the 60 pieces reserved by open orders"
    part = Part.objects.get()
    assert part.description.startswith("10 kΩ")
    assert PriceBreak.objects.filter(packaging__part=part).first().unit_price == Decimal("0.012")
    assert (part.stock.on_hand, part.stock.reserved) == (100, 60)


def test_rejected_row_does_not_create_its_manufacturer(tmp_path):
    import_catalog_file(path=write_csv(tmp_path, [part_row(manufacturer="New Maker", stock="x")]))

    assert not Manufacturer.objects.exists()


def test_blank_rows_are_skipped(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_text("manufacturer,mpn,category\n\n,,\nYAGEO,RC1,resistors\n", encoding="utf-8")

    result = import_catalog_file(path=path)

    assert (result.rows_total, result.created, result.rejected) == (1, 1, 0)


def test_rows_before_one_that_is_not_readable_csv_are_imported(tmp_path):
    path = tmp_path / "parts.csv"
    good = "".join(f"YAGEO,RC-{n},resistors\n" for n in range(3))
    path.write_text(
        f'manufacturer,mpn,category\n{good}YAGEO,RC-X,"{"x" * 200_000}"\nYAGEO,RC-Y,resistors\n',
        encoding="utf-8",
    )

    with pytest.raises(ImportFileError, match="Row 5 is not readable CSV"):
        import_catalog_file(path=path)

    assert sorted(Part.objects.values_list("mpn", flat=True)) == ["RC-0", "RC-1", "RC-2"]


def test_reject_report_never_writes_a_cell_a_spreadsheet_reads_as_a_formula(tmp_path):
    path = write_csv(tmp_path, [part_row(stock="=cmd|' /C calc'!A0", mpn="@RC0603")])

    result = import_catalog_file(path=path)

    with open(result.report_path, encoding="utf-8", newline="") as file:
        cells = [cell for line in csv.reader(file) for cell in line]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_nul_byte_rejects_its_row_and_the_rest_lands(tmp_path):
    rows = [part_row(mpn="RC-1"), part_row(mpn="RC-2", description="10k\x00 resistor"),
            part_row(mpn="RC-3")]
    path = write_csv(tmp_path, rows)

    result = import_catalog_file(path=path)

    assert (result.created, result.rejected) == (2, 1)
    assert sorted(Part.objects.values_list("mpn", flat=True)) == ["RC-1", "RC-3"]
    [line] = read_report(result.report_path)
    assert (line["row"], line["column"]) == ("3", "description")
    assert "NUL character" in line["reason"]
    assert line["value"] == "10k\\0 resistor"


def test_a_nul_byte_in_the_header_refuses_the_file_with_a_clear_message(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_bytes(b"manufacturer,mpn\x00,category\nYAGEO,RC-1,resistors\n")

    with pytest.raises(ImportFileError, match="NUL character"):
        import_catalog_file(path=path)
