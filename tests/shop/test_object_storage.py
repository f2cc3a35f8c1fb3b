"""With an S3 bucket configured, media live in the bucket, never on the web server's disk."""

import html
import re

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import CatalogImport, ImportKind, ImportStatus
from tests.catalog.factories_import import (  # noqa: F401  (eager_tasks is a fixture)
    eager_tasks,
    part_row,
    resistor_category,
    write_csv,
)
from tests.catalog.test_admin import change_form_data
from tests.catalog.test_part_images import picture
from tests.factories import PartFactory
from tests.object_storage import BUCKET, bucket_keys, files_under

pytestmark = pytest.mark.django_db


def test_s3_environment_selects_the_s3_storage_and_allows_its_pictures(s3_settings, s3_endpoint):
    default = s3_settings["storages"]["default"]

    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (default["OPTIONS"]["bucket_name"], default["OPTIONS"]["endpoint_url"]) == (
        BUCKET,
        s3_endpoint,
    )
    assert s3_endpoint in s3_settings["img_src"]


def test_picture_uploaded_in_the_admin_is_stored_in_the_bucket_and_shown_on_the_part_page(
    s3_bucket, admin_client, client, settings
):
    # given a part, and its picture uploaded by staff in the admin
    part = PartFactory()
    url = reverse("admin:catalog_part_change", args=[part.pk])
    data = change_form_data(admin_client.get(url))
    upload = picture()
    sent = upload.read()
    upload.seek(0)
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-0-image": upload,
            "images-0-alt": "Top view",
            "images-0-position": 0,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    image = part.images.get()

    # when a visitor opens the part page
    page = client.get(part.get_absolute_url(), follow=True)

    # then the picture and its two sizes are objects in the bucket, linked from the page
    keys = bucket_keys(s3_bucket)
    assert {image.image.name, image.thumbnail.name, image.large.name} <= set(keys)
    assert all(key.startswith(f"parts/{part.pk}/") for key in keys)
    sources = [html.unescape(s) for s in re.findall(r'<img src="([^"]+)"', page.content.decode())]
    large_links = [s for s in sources if image.large.name in s]
    assert large_links and large_links[0].startswith(s3_bucket.meta.endpoint_url)
    fetched = requests.get(large_links[0], timeout=10)
    assert fetched.status_code == 200
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=image.image.name)["Body"].read()
    assert stored == sent
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.usefixtures("eager_tasks")
def test_catalog_file_uploaded_in_the_admin_is_imported_from_the_bucket_with_its_report(
    s3_bucket, admin_client, tmp_path, settings, django_capture_on_commit_callbacks
):
    # given a catalog file with one good row and one without an MPN
    resistor_category()
    rows = [part_row(mpn="S3-A1"), part_row(mpn="")]
    upload = SimpleUploadedFile("parts.csv", write_csv(tmp_path, rows).read_bytes(), "text/csv")

    # when staff upload it in the admin and the import runs
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_catalogimport_add"),
            {"kind": ImportKind.CATALOG, "file": upload},
        )
    assert response.status_code == 302
    job = CatalogImport.objects.get()

    # then the file and the report of rejected rows are in the bucket, and the report
    # downloads through the admin
    assert (job.status, job.rows_created, job.rows_rejected) == (ImportStatus.DONE, 1, 1)
    keys = bucket_keys(s3_bucket)
    assert job.file.name in keys and job.report.name in keys
    report = admin_client.get(reverse("admin:catalog_catalogimport_report", args=[job.pk]))
    body = b"".join(report.streaming_content).decode()
    assert body.splitlines()[1:] == ["3,mpn,,required"]
    assert files_under(settings.MEDIA_ROOT) == []
