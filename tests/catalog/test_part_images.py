"""Part pictures: stored with a small thumbnail, and only when they are pictures."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog import services
from catalog.models import PartImage
from tests.catalog.test_admin import change_form_data
from tests.factories import PartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(name="reel.png", size=(1200, 800), mode="RGBA", fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(
        buffer, format=fmt
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def test_added_image_gets_a_thumbnail_that_fits_240_pixels():
    part = PartFactory()

    image = services.part_image_add(part=part, image_file=picture(size=(1200, 800)), alt="Reel")

    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.size == (240, 160)
    assert image.thumbnail.size < image.image.size


def test_thumbnail_of_a_cmyk_jpeg_is_written():
    part = PartFactory()

    image = services.part_image_add(
        part=part, image_file=picture(name="photo.jpg", mode="CMYK", fmt="JPEG")
    )

    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.mode == "RGB"


def test_thumbnail_is_turned_upright_from_the_exif_orientation():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise: the sensor's 400×300 is shown as 300×400
    Image.new("RGB", (400, 300), "white").save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")

    image = services.part_image_add(part=PartFactory(), image_file=upload)

    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.size == (180, 240)


def test_a_file_that_is_not_an_image_is_refused_with_a_message():
    part = PartFactory()
    datasheet = SimpleUploadedFile("datasheet.pdf", b"%PDF-1.7 not a picture")

    with pytest.raises(ValidationError, match="not an image"):
        services.part_image_add(part=part, image_file=datasheet)

    assert not PartImage.objects.exists()


def test_image_uploaded_in_the_admin_gets_a_thumbnail(admin_client):
    part = PartFactory()
    url = reverse("admin:catalog_part_change", args=[part.pk])
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-0-image": picture(),
            "images-0-alt": "Top view",
            "images-0-position": 0,
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    image = part.images.get()
    assert (image.alt, bool(image.thumbnail)) == ("Top view", True)
