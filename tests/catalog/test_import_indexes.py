"""An import into an empty catalog builds the secondary indexes after the load (PostgreSQL):
the tables end with every index they had, also when the file fails half way."""

import pytest
from django.db import connection

from catalog.imports import ImportFileError, import_catalog_file
from catalog.imports.copy_writer import FILLED_TABLES
from catalog.models import Part
from tests.catalog.factories_import import part_row, resistor_category, write_csv

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the indexes are deferred on PostgreSQL only")
    resistor_category()


def indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
            [list(FILLED_TABLES)],
        )
        return cursor.fetchall()


def test_an_import_into_an_empty_catalog_ends_with_every_index(tmp_path):
    before = indexes()
    rows = [part_row(mpn=f"RC-{n}", description="thick\tfilm \\ 1%") for n in range(5)]

    result = import_catalog_file(path=write_csv(tmp_path, rows))

    assert result.created == 5
    assert indexes() == before
    assert any("gin" in definition for _, definition in before)
    assert set(Part.objects.values_list("description", flat=True)) == {"thick\tfilm \\ 1%"}


def test_a_file_that_fails_half_way_leaves_every_index(tmp_path):
    before = indexes()
    path = tmp_path / "parts.csv"
    good = "".join(f"YAGEO,RC-{n},resistors\n" for n in range(5))
    path.write_text(
        f'manufacturer,mpn,category\n{good}YAGEO,RC-X,"{"x" * 200_000}"\n', encoding="utf-8"
    )

    with pytest.raises(ImportFileError, match="Row 7 is not readable CSV"):
        import_catalog_file(path=path)

    assert Part.objects.count() == 5
    assert indexes() == before
