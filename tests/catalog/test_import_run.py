"""Running an uploaded CatalogImport: claimed once, progress and counts saved, report kept."""

import pytest
from django.core.files.base import ContentFile

from catalog.imports import catalog_import_run
from catalog.models import CatalogImport, ImportStatus, Part
from catalog.tasks import run_catalog_import
from tests.catalog.factories_import import (  # noqa: F401  (eager_tasks is a fixture)
    eager_tasks,
    part_row,
    resistor_category,
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture(autouse=True)
def category():
    return resistor_category()


def upload(tmp_path, rows, **fields) -> CatalogImport:
    content = write_csv(tmp_path, rows).read_bytes()
    job = CatalogImport(**fields)
    job.file.save("parts.csv", ContentFile(content), save=False)
    job.save()
    return job


def test_run_imports_the_file_and_records_the_counts(tmp_path):
    job = upload(tmp_path, [part_row(mpn="A1"), part_row(mpn="A2"), part_row(mpn="")])

    catalog_import_run(catalog_import_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.rows_total, job.rows_processed) == (3, 3)
    assert (job.rows_created, job.rows_updated, job.rows_rejected) == (2, 0, 1)
    assert job.started_at <= job.finished_at
    assert Part.objects.count() == 2


def test_run_keeps_the_report_of_rejected_rows(tmp_path):
    job = upload(tmp_path, [part_row(mpn="")])

    catalog_import_run(catalog_import_id=job.pk)

    job.refresh_from_db()
    with job.report.open("rb") as report:
        lines = report.read().decode().splitlines()
    assert lines[0] == "row,column,value,reason"
    assert lines[1].startswith("2,mpn,,required")


def test_run_without_rejects_keeps_no_report(tmp_path):
    job = upload(tmp_path, [part_row()])

    catalog_import_run(catalog_import_id=job.pk)

    job.refresh_from_db()
    assert not job.report


def test_run_leaves_an_import_that_is_already_done_alone(tmp_path):
    job = upload(tmp_path, [part_row()], status=ImportStatus.DONE)

    catalog_import_run(catalog_import_id=job.pk)

    assert not Part.objects.exists()


def test_run_leaves_an_import_that_is_running_alone(tmp_path):
    job = upload(tmp_path, [part_row()], status=ImportStatus.RUNNING)

    run_catalog_import.delay(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert not Part.objects.exists()


def test_run_of_a_file_with_a_bad_header_fails_with_the_reason(tmp_path):
    job = upload(tmp_path, [{"manufacturer": "YAGEO", "mpn": "A1"}])

    catalog_import_run(catalog_import_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "missing required column 'category'" in job.error
    assert job.finished_at is not None


def test_task_runs_the_import(tmp_path):
    job = upload(tmp_path, [part_row()])

    run_catalog_import.delay(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Part.objects.count() == 1
