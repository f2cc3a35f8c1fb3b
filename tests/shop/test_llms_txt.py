import pytest

from tests.factories import CategoryFactory, ManufacturerFactory, PartFactory


@pytest.mark.django_db
def test_llms_txt_describes_the_store_and_links_categories_and_part_views(client):
    category = CategoryFactory(name="Schottky Diodes", slug="schottky")
    maker = ManufacturerFactory(name="Vishay", slug="vishay")
    PartFactory(mpn="SS34", category=category, manufacturer=maker)

    response = client.get("/llms.txt", secure=True)
    text = response.content.decode()

    assert response["Content-Type"].startswith("text/markdown")
    lines = text.splitlines()
    assert lines[0] == "# Partline"
    assert any(line.startswith("> Partline is an online store") for line in lines)
    assert "- [Schottky Diodes](http://127.0.0.1:8000/c/schottky/): 1 part" in text
    assert "[SS34 as Markdown](http://127.0.0.1:8000/part/vishay/SS34.md)" in text
    assert "## Catalog" in text and "## Manufacturers" in text
