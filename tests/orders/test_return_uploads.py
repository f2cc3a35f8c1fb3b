"""Photos sent with a return: hostile files are refused with a clear message and nothing is
saved; good photos are re-encoded without metadata and served only as images."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from orders.models import ReturnPhoto, ReturnRequest
from tests.orders.returns_helpers import delivered_order, open_return, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test's own media folder: files another test writes meanwhile are not counted."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def order(customer, resistor):
    return delivered_order(customer, resistor)


def post_return(client, order, *files, key="form-1"):
    line = order.lines.get()
    return client.post(
        reverse("orders:return-open", args=[order.reference, line.pk]),
        {
            "kind": "return",
            "reason": "bent_pins",
            "quantity": "10",
            "description": "Bent pins on arrival.",
            "idempotency_key": key,
            "photos": list(files),
        },
    )


def stored_photo_files() -> list[str]:
    try:
        return default_storage.listdir("returns/photos")[1]
    except FileNotFoundError:
        return []


def huge_png(width=30000, height=30000) -> SimpleUploadedFile:
    """A tiny file whose header claims 900 megapixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1000)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", png, content_type="image/png")


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def assert_refused(response, text):
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not ReturnRequest.objects.exists()
    assert not ReturnPhoto.objects.exists()


def test_a_file_named_jpg_that_is_not_an_image_is_refused(signed_in, order):
    fake = SimpleUploadedFile("pins.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = post_return(signed_in, order, fake)

    assert_refused(response, "pins.jpg is not a JPEG, PNG or WebP photo.")
    assert stored_photo_files() == []


def test_an_html_file_is_refused(signed_in, order):
    page = SimpleUploadedFile(
        "evidence.html", b"<html><script>alert(document.cookie)</script></html>",
        content_type="text/html",
    )

    response = post_return(signed_in, order, page)

    assert_refused(response, "evidence.html is not a JPEG, PNG or WebP photo.")


def test_a_png_a_little_over_the_pixel_limit_is_refused(signed_in, order, settings):
    settings.RETURNS_MAX_PHOTO_PIXELS = 1_000_000

    response = post_return(signed_in, order, photo("wide.png", size=(1001, 1000), fmt="PNG"))

    assert_refused(response, "wide.png has more than the 1 megapixels accepted for a photo.")


def test_a_png_of_huge_dimensions_is_refused_before_it_is_decoded(signed_in, order):
    response = post_return(signed_in, order, huge_png())

    assert_refused(response, "bomb.png has more than the 30 megapixels accepted for a photo.")


def test_too_many_photos_are_refused(signed_in, order, settings):
    settings.RETURNS_MAX_PHOTOS = 2

    response = post_return(signed_in, order, photo("a.jpg"), photo("b.jpg"), photo("c.jpg"))

    assert_refused(response, "Send at most 2 photos; you chose 3.")


def test_a_photo_too_large_is_refused(signed_in, order, settings):
    settings.RETURNS_MAX_PHOTO_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 1))

    response = post_return(signed_in, order, big)

    assert_refused(response, "big.jpg is larger than 1 MB")


def test_one_bad_photo_among_good_ones_saves_nothing(signed_in, order):
    fake = SimpleUploadedFile("pins.jpg", b"not a picture")

    response = post_return(signed_in, order, photo("good.jpg"), fake)

    assert_refused(response, "pins.jpg is not a JPEG")
    assert stored_photo_files() == []


def test_a_photo_is_re_encoded_without_its_metadata(customer, order):
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0x0131] = "Secret Firmware 1.2"  # Software
    upload = photo("phone.jpg", exif=exif.tobytes())

    rma = open_return(customer, order, photos=[upload])

    stored = rma.photos.get()
    assert stored_photo_files() == [stored.image.name.rsplit("/", 1)[1]]
    with stored.image.open("rb") as handle:
        data = handle.read()
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    assert not picture.getexif()
    assert b"Secret Camera" not in data
    assert stored.image.name.startswith("returns/photos/")
    assert "phone" not in stored.image.name


def test_a_transparent_png_stays_a_png(customer, order):
    rma = open_return(customer, order, photos=[photo("label.png", fmt="PNG", mode="RGBA")])

    stored = rma.photos.get()
    assert stored.content_type == "image/png"
    assert stored.image.name.endswith(".png")


def test_a_photo_is_served_to_its_owner_as_an_image_only(signed_in, customer, order):
    rma = open_return(customer, order, photos=[photo()])
    url = reverse("orders:return-photo", args=[rma.reference, rma.photos.get().pk])

    response = signed_in.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_staff_open_a_customers_photo(client, staff, customer, order):
    rma = open_return(customer, order, photos=[photo()])
    client.force_login(staff)

    response = client.get(reverse("orders:return-photo", args=[rma.reference, rma.photos.get().pk]))

    assert response.status_code == 200


def test_another_customer_gets_not_found_for_a_photo(client, other_customer, customer, order):
    rma = open_return(customer, order, photos=[photo()])
    client.force_login(other_customer)

    response = client.get(reverse("orders:return-photo", args=[rma.reference, rma.photos.get().pk]))

    assert response.status_code == 404
