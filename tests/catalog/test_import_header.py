"""A file whose header is wrong is refused whole, before anything is written."""

import pytest
from django.core.management import CommandError, call_command

from catalog.imports import ImportFileError, import_catalog_file
from catalog.models import ImportKind, Manufacturer, Part
from tests.catalog.factories_import import part_row, resistor_category, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def category():
    return resistor_category()


def refused(path, kind=ImportKind.CATALOG) -> str:
    with pytest.raises(ImportFileError) as caught:
        import_catalog_file(path=path, kind=kind)
    assert not Part.objects.exists()
    assert not Manufacturer.objects.exists()
    return str(caught.value)


def test_unknown_column_refuses_the_file(tmp_path):
    row = part_row()
    row["prise"] = row.pop("prices")

    assert "unknown column 'prise'" in refused(write_csv(tmp_path, [row]))


def test_missing_required_column_refuses_the_file(tmp_path):
    row = part_row()
    del row["category"]

    assert "missing required column 'category'" in refused(write_csv(tmp_path, [row]))


def test_parameter_no_category_has_refuses_the_file(tmp_path):
    message = refused(write_csv(tmp_path, [part_row(**{"param:resistence": "10k"})]))

    assert "no category has the parameter 'param:resistence'" in message


def test_repeated_column_refuses_the_file(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_text("manufacturer,mpn,category,mpn\nYAGEO,A,resistors,B\n", encoding="utf-8")

    assert "repeated column 'mpn'" in refused(path)


def test_supplier_without_its_quantity_and_lead_time_refuses_the_file(tmp_path):
    path = write_csv(
        tmp_path, [{"manufacturer": "Y", "mpn": "A", "category": "resistors", "supplier": "hk"}]
    )

    assert "supplier needs 'supplier_quantity', 'supplier_lead_days'" in refused(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_text("", encoding="utf-8")

    assert "empty" in refused(path)


def test_header_with_a_bom_is_read(tmp_path):
    path = tmp_path / "parts.csv"
    path.write_text("\ufeffmanufacturer,mpn,category\nYAGEO,RC1,resistors\n", encoding="utf-8")

    assert import_catalog_file(path=path).created == 1


def test_price_stock_feed_with_catalog_columns_is_refused(tmp_path):
    path = write_csv(tmp_path, [part_row()])

    message = refused(path, kind=ImportKind.PRICE_STOCK)

    assert "unknown column 'category'" in message
    assert "Price and stock feed" in message


# --- the management command ---


def test_command_imports_and_prints_the_counts_and_report(tmp_path, capsys):
    path = write_csv(tmp_path, [part_row(mpn="A1"), part_row(mpn="")])

    call_command("import_catalog", str(path))

    out = capsys.readouterr().out
    assert "2 rows: 1 parts created, 0 updated, 1 rejected." in out
    assert f"Rejected rows: {tmp_path / 'parts.rejects.csv'}" in out


def test_command_fails_on_a_bad_header(tmp_path):
    path = write_csv(tmp_path, [{"manufacturer": "YAGEO", "mpn": "A1"}])

    with pytest.raises(CommandError, match="missing required column 'category'"):
        call_command("import_catalog", str(path))


def test_command_reads_a_price_stock_feed(tmp_path, capsys):
    call_command("import_catalog", str(write_csv(tmp_path, [part_row()], name="catalog.csv")))
    feed = write_csv(tmp_path, [{"manufacturer": "YAGEO", "mpn": part_row()["mpn"], "stock": "7"}])

    call_command("import_catalog", str(feed), "--kind", "price_stock")

    assert Part.objects.get().stock.on_hand == 7
