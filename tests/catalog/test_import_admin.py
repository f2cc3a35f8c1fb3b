"""Staff upload a catalog file in the admin, watch the job and download its rejected rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import CatalogImport, ImportKind, ImportStatus, Part
from tests.catalog.factories_import import (  # noqa: F401  (eager_tasks is a fixture)
    eager_tasks,
    part_row,
    resistor_category,
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

ADD_URL = "admin:catalog_catalogimport_add"


@pytest.fixture(autouse=True)
def category():
    return resistor_category()


def csv_upload(tmp_path, rows, name="parts.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_csv(tmp_path, rows).read_bytes(), "text/csv")


def post_upload(client, capture, upload, kind=ImportKind.CATALOG):
    with capture(execute=True):
        return client.post(reverse(ADD_URL), {"kind": kind, "file": upload})


def test_upload_creates_a_job_that_runs_and_shows_its_counts(
    admin_client, admin_user, tmp_path, django_capture_on_commit_callbacks
):
    upload = csv_upload(tmp_path, [part_row(mpn="A1"), part_row(mpn="")])

    response = post_upload(admin_client, django_capture_on_commit_callbacks, upload)

    job = CatalogImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:catalog_catalogimport_change", args=[job.pk])
    assert (job.status, job.created_by, job.rows_created, job.rows_rejected) == (
        ImportStatus.DONE,
        admin_user,
        1,
        1,
    )
    assert Part.objects.count() == 1


def test_job_page_shows_progress_and_a_report_link(
    admin_client, tmp_path, django_capture_on_commit_callbacks
):
    post_upload(
        admin_client,
        django_capture_on_commit_callbacks,
        csv_upload(tmp_path, [part_row(mpn="A1"), part_row(mpn="")]),
    )
    job = CatalogImport.objects.get()

    page = admin_client.get(reverse("admin:catalog_catalogimport_change", args=[job.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "100%" in html
    assert reverse("admin:catalog_catalogimport_report", args=[job.pk]) in html
    assert 'name="_save"' not in html


def test_report_link_downloads_the_rejected_rows(
    admin_client, tmp_path, django_capture_on_commit_callbacks
):
    post_upload(
        admin_client, django_capture_on_commit_callbacks, csv_upload(tmp_path, [part_row(mpn="")])
    )
    job = CatalogImport.objects.get()

    response = admin_client.get(reverse("admin:catalog_catalogimport_report", args=[job.pk]))

    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert body.splitlines()[1].startswith("2,mpn,,required")


def test_list_shows_each_import_with_its_progress(
    admin_client, tmp_path, django_capture_on_commit_callbacks
):
    post_upload(
        admin_client, django_capture_on_commit_callbacks, csv_upload(tmp_path, [part_row()])
    )

    page = admin_client.get(reverse("admin:catalog_catalogimport_changelist"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "100%" in html
    assert "Done" in html


def test_upload_with_a_wrong_header_is_refused_in_the_form(admin_client, tmp_path):
    row = part_row()
    row["prise"] = row.pop("prices")

    response = admin_client.post(
        reverse(ADD_URL), {"kind": ImportKind.CATALOG, "file": csv_upload(tmp_path, [row])}
    )

    assert response.status_code == 200
    assert "unknown column &#x27;prise&#x27;" in response.content.decode()
    assert not CatalogImport.objects.exists()


def test_upload_that_is_not_csv_is_refused(admin_client):
    upload = SimpleUploadedFile("parts.xlsx", b"PK\x03\x04 binary", "application/vnd.ms-excel")

    response = admin_client.post(reverse(ADD_URL), {"kind": ImportKind.CATALOG, "file": upload})

    assert "Upload a .csv file" in response.content.decode()
    assert not CatalogImport.objects.exists()


def test_upload_that_is_not_text_is_refused(admin_client):
    upload = SimpleUploadedFile("parts.csv", b"\xff\xfe\x00m\x00p\x00n", "text/csv")

    response = admin_client.post(reverse(ADD_URL), {"kind": ImportKind.CATALOG, "file": upload})

    assert response.status_code == 200
    assert "not UTF-8 text" in response.content.decode()
    assert not CatalogImport.objects.exists()


def test_price_stock_upload_checks_the_feed_header(admin_client, tmp_path):
    response = admin_client.post(
        reverse(ADD_URL),
        {"kind": ImportKind.PRICE_STOCK, "file": csv_upload(tmp_path, [part_row()])},
    )

    assert "unknown column &#x27;category&#x27;" in response.content.decode()
