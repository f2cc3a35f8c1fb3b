"""Part pictures in the sizes pages need: 240 px for listings, 720 px for the part page."""

import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from catalog import services
from catalog.models import PartImage
from tests.factories import PartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(size=(2400, 1600), mode="RGB", name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 90) if mode == "RGBA" else (10, 120, 200)).save(
        buffer, format="PNG"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_added_picture_gets_a_large_size_that_fits_720_pixels():
    image = services.part_image_add(part=PartFactory(), image_file=picture((2400, 1600)))

    with Image.open(image.large.path) as large:
        assert large.size == (720, 480)


def test_a_small_picture_is_never_enlarged():
    image = services.part_image_add(part=PartFactory(), image_file=picture((300, 200)))

    with Image.open(image.large.path) as large:
        assert large.size == (300, 200)


def test_the_large_size_keeps_transparency():
    image = services.part_image_add(
        part=PartFactory(), image_file=picture((1000, 1000), mode="RGBA")
    )

    with Image.open(image.large.path) as large:
        assert large.mode == "RGBA"


def test_the_part_page_offers_both_sizes_by_width(client):
    part = PartFactory()
    services.part_image_add(part=part, image_file=picture())

    html = client.get(part.get_absolute_url()).content.decode()

    tag = re.search(r'<img [^>]*class="part-photo"[^>]*>', html).group(0)
    assert re.search(r'srcset="[^"]+\.thumb\.\w+ 240w, [^"]+\.large\.\w+ 720w"', tag)
    assert 'sizes="(max-width: 600px) 80vw, 320px"' in tag
    assert 'width="320" height="320"' in tag


def test_a_picture_stored_before_the_large_size_falls_back_to_the_upload(client):
    part = PartFactory()
    image = services.part_image_add(part=part, image_file=picture())
    PartImage.objects.filter(pk=image.pk).update(large="")

    html = client.get(part.get_absolute_url()).content.decode()

    tag = re.search(r'<img [^>]*class="part-photo"[^>]*>', html).group(0)
    assert f"{image.image.url} 2x" in tag


def test_the_command_makes_the_missing_sizes(django_capture_on_commit_callbacks):
    image = services.part_image_add(part=PartFactory(), image_file=picture())
    PartImage.objects.filter(pk=image.pk).update(large="")
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("part_image_sizes", stdout=out)

    image.refresh_from_db()
    with Image.open(image.large.path) as large:
        assert large.size == (720, 480)
    assert "Made the sizes of 1 pictures; 0 could not be read." in out.getvalue()


def test_the_command_reports_a_picture_it_cannot_read():
    image = services.part_image_add(part=PartFactory(), image_file=picture())
    with open(image.image.path, "wb") as broken:
        broken.write(b"not a picture")
    PartImage.objects.filter(pk=image.pk).update(large="")
    out, err = io.StringIO(), io.StringIO()

    call_command("part_image_sizes", stdout=out, stderr=err)

    assert "0 pictures; 1 could not be read" in out.getvalue()
    assert f"Picture {image.pk}" in err.getvalue()
    assert PartImage.objects.get(pk=image.pk).large == ""


def test_replacing_a_picture_removes_its_old_sizes(django_capture_on_commit_callbacks):
    image = services.part_image_add(part=PartFactory(), image_file=picture())
    old_large = image.large.path

    with django_capture_on_commit_callbacks(execute=True):
        services.part_image_replace(image=image, image_file=picture((800, 800), name="new.png"))

    assert not os.path.exists(old_large)
    with Image.open(image.large.path) as large:
        assert large.size == (720, 720)
