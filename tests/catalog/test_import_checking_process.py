"""Large files are checked by a second process (PostgreSQL): the outcome is the same as when
the importing process checks every row itself."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from catalog.imports import ImportFileError, catalog_import_run, checking, import_catalog_file
from catalog.models import (
    CatalogImport,
    ImportStatus,
    Manufacturer,
    Part,
    PriceBreak,
    Stock,
    SupplierOffer,
)
from tests.catalog.factories_import import part_row, read_report, resistor_category, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def category():
    return resistor_category()


@pytest.fixture
def taken_over(monkeypatch, settings):
    """Every file goes to a checking process, which takes over after the first batch."""
    if connection.vendor != "postgresql":
        pytest.skip("the checking process serves the PostgreSQL writers only")
    settings.CATALOG_IMPORT_BATCH_SIZE = 3
    monkeypatch.setattr(checking, "CHECKING_PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(checking._CheckingProcess, "wait", 60.0)
    calls = []
    take_over = checking._CheckingProcess.take_over

    def recorded(self, after):
        calls.append(after)
        return take_over(self, after)

    monkeypatch.setattr(checking._CheckingProcess, "take_over", recorded)
    return calls


def mixed_rows() -> list[dict]:
    """Good rows, bad ones, a part twice, a manufacturer to create: over several batches."""
    rows = [part_row(mpn=f"RC-{n}", stock=str(n), prices=f"1:0.{n + 1:04d}") for n in range(7)]
    rows[4] = part_row(mpn="RC-4", stock="-1")
    rows.append(part_row(mpn="RC-6", description="second"))
    rows.append(part_row(mpn="NX-1", manufacturer="Nexperia", lifecycle="retired", prices="x"))
    rows.append(part_row(mpn="NX-2", manufacturer="Nexperia"))
    return rows


def outcome(tmp_path, name: str) -> tuple:
    seen = []
    result = import_catalog_file(
        path=write_csv(tmp_path, mixed_rows(), name=name), progress=seen.append
    )
    report = [tuple(line.values()) for line in read_report(result.report_path)]
    parts = list(
        Part.objects.order_by("mpn").values_list(
            "mpn", "manufacturer__name", "description", "first_break_price", "stock_available"
        )
    )
    return (result.rows_total, result.created, result.updated, result.rejected), seen, report, parts


def test_checking_process_takes_over_after_a_batch(tmp_path, taken_over):
    import_catalog_file(path=write_csv(tmp_path, mixed_rows()))

    assert taken_over == [(4, 3)]  # after record 4: the header and three data rows


def test_checking_process_gives_the_same_outcome(tmp_path, taken_over, monkeypatch):
    elsewhere = outcome(tmp_path, "first.csv")
    Part.objects.all().delete()
    Manufacturer.objects.all().delete()
    monkeypatch.setattr(checking, "CHECKING_PROCESS_MIN_BYTES", 1 << 60)

    here = outcome(tmp_path, "second.csv")

    assert taken_over == [(4, 3)]
    assert elsewhere == here
    counts, seen, report, parts = here
    assert counts == (10, 7, 1, 2)
    assert seen == [3, 6, 8, 9, 10]
    assert [(row, column) for row, column, *_ in report] == [
        ("6", "stock"),
        ("10", "lifecycle"),
        ("10", "prices"),
    ]
    assert ("RC-6", "YAGEO", "second", Decimal("0.012"), 42000) in parts
    assert parts[0][:2] == ("NX-2", "Nexperia")


def test_checking_process_writes_ladders_stock_and_offers(tmp_path, taken_over):
    rows = [part_row(mpn=f"RC-{n}", prices="1:0.0120|100:0.0061") for n in range(5)]

    result = import_catalog_file(path=write_csv(tmp_path, rows))

    assert (result.created, result.rejected) == (5, 0)
    assert PriceBreak.objects.filter(packaging__part__mpn="RC-4").count() == 2
    assert Stock.objects.count() == SupplierOffer.objects.count() == 5


def test_rows_before_a_csv_error_in_the_checking_process_are_imported(tmp_path, taken_over):
    path = tmp_path / "parts.csv"
    good = "".join(f"YAGEO,RC-{n},resistors\n" for n in range(5))
    path.write_text(
        f'manufacturer,mpn,category\n{good}YAGEO,RC-X,"{"x" * 200_000}"\n', encoding="utf-8"
    )

    with pytest.raises(ImportFileError, match="Row 7 is not readable CSV"):
        import_catalog_file(path=path)

    assert Part.objects.count() == 5


def test_a_checking_process_that_fails_to_start_leaves_the_work_here(
    tmp_path, taken_over, monkeypatch
):
    monkeypatch.setattr(checking, "_CHECKING_PROCESS_CODE", "raise SystemExit(3)")

    result = import_catalog_file(path=write_csv(tmp_path, mixed_rows()))

    assert taken_over == []
    assert (result.created, result.updated, result.rejected) == (7, 1, 2)


def test_an_uploaded_file_is_checked_by_the_process_too(tmp_path, taken_over):
    job = CatalogImport()
    job.file.save("parts.csv", ContentFile(write_csv(tmp_path, mixed_rows()).read_bytes()))

    catalog_import_run(catalog_import_id=job.pk)

    job.refresh_from_db()
    assert taken_over == [(4, 3)]
    assert (job.status, job.rows_created, job.rows_updated, job.rows_rejected) == (
        ImportStatus.DONE,
        7,
        1,
        2,
    )


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_checking_process_feeds_the_writers_side_by_side(tmp_path, taken_over):
    result = import_catalog_file(path=write_csv(tmp_path, mixed_rows()))

    assert taken_over == [(4, 3)]
    assert (result.created, result.updated, result.rejected) == (7, 1, 2)
    assert Part.objects.get(mpn="RC-6").description == "second"
    assert not Part.objects.filter(sku__isnull=True).exists()


def test_the_checking_process_rejects_a_row_with_a_nul_byte_and_keeps_the_rest(
    tmp_path, taken_over
):
    rows = [part_row(mpn=f"RC-{n}") for n in range(7)]
    rows[5] = part_row(mpn="RC-5", package="06\x0003")
    path = write_csv(tmp_path, rows)

    result = import_catalog_file(path=path)

    assert taken_over == [(4, 3)]
    assert (result.created, result.rejected) == (6, 1)
    [line] = read_report(result.report_path)
    assert (line["row"], line["column"]) == ("7", "package")
    assert "NUL character" in line["reason"]


def test_an_uploaded_file_with_a_nul_byte_ends_done_with_the_row_rejected(
    tmp_path, taken_over, admin_user
):
    rows = [part_row(mpn=f"RC-{n}") for n in range(5)]
    rows[1] = part_row(mpn="RC-\x001")
    body = write_csv(tmp_path, rows).read_bytes()
    job = CatalogImport.objects.create(created_by=admin_user, file=ContentFile(body, "parts.csv"))

    catalog_import_run(catalog_import_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert (job.rows_created, job.rows_rejected) == (4, 1)
