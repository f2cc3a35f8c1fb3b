"""Package outline drawings: drawn from the package name, sized to it, served for good."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog import services
from catalog.outlines import outline_svg, package_outline
from catalog.templatetags.catalog_tags import outline_url
from tests.factories import CategoryFactory, PartFactory

SVG = "{http://www.w3.org/2000/svg}"


def drawing(package: str) -> ET.Element:
    return ET.fromstring(outline_svg(package))


def of_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if element.get("class") == name]


def body_size(package: str) -> tuple[float, float]:
    body = of_class(drawing(package), "body")[0]
    return float(body.get("width")), float(body.get("height"))


@pytest.mark.parametrize(
    ("package", "pins"),
    [
        ("0201", 2), ("0402", 2), ("0603", 2), ("0805", 2), ("1206", 2), ("1210", 2),
        ("2512", 2), ("SOD-123", 2), ("SOD-323", 2), ("SOT-23", 3), ("SOT-23-5", 5),
        ("SOT-23-6", 6), ("SOT-223", 4), ("SOT-89", 4), ("SOIC-8", 8), ("SOIC-14", 14),
        ("SOIC-16", 16), ("SO-14", 14), ("TSSOP-20", 20), ("MSOP-8", 8), ("VSSOP-8", 8),
        ("QFN-32", 32), ("UFQFPN-48", 48), ("DFN-8", 8), ("WSON-6", 6), ("LQFP-32", 32),
        ("LQFP-48", 48), ("TQFP-64", 64), ("LQFP-100", 100), ("PDIP-8", 8), ("DIP-14", 14),
        ("TO-220", 3), ("TO-252", 3), ("6045", 2), ("4020", 2), ("6.0x6.0x4.5mm", 2),
        ("HC-49/US SMD", 2), ("3225", 4), ("3.2x2.5mm", 4), ("SMD,D6.3x5.4mm", 2),
        ("DHVQFN-14", 14), ("LGA-14", 14), ("WLCSP-12", 12), ("HDR-1x8", 8), ("2x5 header", 10),
    ],
)  # fmt: skip
def test_each_package_is_valid_svg_with_its_pins(package, pins):
    root = drawing(package)

    assert root.tag == f"{SVG}svg"
    assert len(of_class(root, "pin")) == pins
    assert len(of_class(root, "body")) == 1


@pytest.mark.parametrize("package", ["QFN-32", "SOIC-8-EP", "WSON-6"])
def test_leadless_and_thermal_packages_show_the_exposed_pad(package):
    assert len(of_class(drawing(package), "epad")) == 1


def test_soic_without_pad_has_none():
    assert of_class(drawing("SOIC-8"), "epad") == []


@pytest.mark.parametrize(
    ("package", "label"),
    [("0603", "1.6 × 0.8 mm"), ("1206", "3.2 × 1.6 mm"), ("SOT-23", "2.9 × 1.3 mm"),
     ("LQFP-64", "10 × 10 mm"), ("SOIC-8", "4.9 × 3.9 mm"), ("SMD,D6.3x5.4mm", "Ø6.3 × 5.4 mm"),
     ("6.0x6.0x4.5mm", "6 × 6 × 4.5 mm")],
)  # fmt: skip
def test_drawing_is_labelled_with_the_body_size(package, label):
    texts = [element.text for element in of_class(drawing(package), "label")]

    assert texts == [package, label]


def test_bodies_are_drawn_to_scale():
    assert body_size("0603") == (1.6, 0.8)
    assert body_size("1206")[0] == 2 * body_size("0603")[0]
    assert body_size("LQFP-100")[0] > body_size("LQFP-64")[0] > body_size("LQFP-48")[0]
    assert body_size("SOIC-16")[1] > body_size("SOIC-8")[1]


def test_a_package_the_drawing_does_not_know_gets_an_outline_with_its_name():
    root = drawing("Module")

    assert [element.text for element in of_class(root, "name")] == ["Module"]
    assert len(of_class(root, "body")) == 1
    assert not package_outline("Module").known


def test_markup_in_a_package_name_is_escaped():
    root = drawing('<script>alert(1)</script>"&')

    assert not any(element.tag.endswith("script") for element in root.iter())


def test_a_generic_connector_package_is_drawn_with_its_pin_count():
    assert package_outline("Through hole", pins=6).pin_count == 6
    assert package_outline("SMD", pins=20).pin_count == 20


@pytest.mark.django_db
def test_outline_is_served_with_a_long_cache_and_revalidates_by_etag(client):
    url = outline_url("HC-49/US SMD")

    response = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "max-age=31536000" in response["Cache-Control"]
    ET.fromstring(response.content)
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


@pytest.mark.django_db
def test_outline_url_reverses_for_any_package_name():
    assert reverse("catalog:outline", kwargs={"package": "SOT-23"}).endswith("/SOT-23.svg")
    assert "HC-49/US%20SMD.svg" in outline_url("HC-49/US SMD")


@pytest.mark.django_db
def test_part_without_photo_shows_its_package_outline(client):
    part = PartFactory(package="SOT-23-5")

    html = client.get(part.get_absolute_url()).content.decode()

    assert 'alt="Package outline: SOT-23-5"' in html
    assert outline_url("SOT-23-5").replace("?", "?") in html.replace("&amp;", "&")


@pytest.mark.django_db
def test_part_with_photo_shows_it_with_a_srcset(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    part = PartFactory(package="0603")
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), "white").save(buffer, format="PNG")
    services.part_image_add(
        part=part, image_file=SimpleUploadedFile("top.png", buffer.getvalue()), alt="Top view"
    )

    html = client.get(part.get_absolute_url()).content.decode()

    assert 'alt="Top view"' in html and "srcset=" in html
    assert "Package outline" not in html


@pytest.mark.django_db
def test_category_rows_show_a_lazy_thumbnail_photo_or_outline(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    category = CategoryFactory(name="Diodes", slug="diodes")
    PartFactory(category=category, package="SOD-123", mpn="BZT52C5V1")
    photographed = PartFactory(category=category, package="SMA", mpn="SS14")
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(buffer, format="PNG")
    upload = SimpleUploadedFile("ss14.png", buffer.getvalue())
    services.part_image_add(part=photographed, image_file=upload)

    html = client.get("/c/diodes/").content.decode()

    assert 'alt="Package outline: SOD-123"' in html
    assert 'alt="Photo: SS14"' in html
    assert html.count('loading="lazy"') >= 2
    assert 'width="48" height="48"' in html
