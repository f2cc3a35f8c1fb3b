"""An import into an empty catalog builds the secondary indexes and checks the foreign keys
after the load (PostgreSQL): the tables end with every index and foreign key they had, also
when the file fails half way or the importing process died."""

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.imports import ImportFileError, import_catalog_file
from catalog.imports.copy_writer import (
    FILLED_TABLES,
    catalog_schema_deferred,
    deferred_schema_restore,
)
from catalog.models import Category, DeferredCatalogSchema, Manufacturer, Part
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


def foreign_keys() -> list[tuple[str, str, str, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) "
            "ORDER BY 1, 2",
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
    assert not DeferredCatalogSchema.objects.exists()


def test_an_import_into_an_empty_catalog_ends_with_every_foreign_key_checked(tmp_path):
    before = foreign_keys()

    result = import_catalog_file(path=write_csv(tmp_path, [part_row(mpn="RC-1")]))

    assert result.created == 1
    assert foreign_keys() == before
    assert len(before) == 9 and all(validated for *_, validated in before)
    assert not DeferredCatalogSchema.objects.exists()


def test_the_foreign_keys_are_off_only_during_the_load():
    before = foreign_keys()

    with catalog_schema_deferred():
        assert foreign_keys() == []
        assert indexes() != [] and all("UNIQUE" in definition for _, definition in indexes())
        assert DeferredCatalogSchema.objects.filter(kind="foreign_key").count() == len(before)

    assert foreign_keys() == before


def test_a_part_whose_manufacturer_was_deleted_during_the_load_leaves_the_key_unchecked(caplog):
    maker = Manufacturer.objects.create(name="Gone", slug="gone")
    category = Category.objects.get()

    with catalog_schema_deferred():
        Part.objects.create(mpn="X1", manufacturer=maker, category=category)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_manufacturer WHERE id = %s", [maker.pk])

    unchecked = [name for _, name, _, validated in foreign_keys() if not validated]
    assert len(unchecked) == 1 and "manufacturer" in unchecked[0]
    assert list(DeferredCatalogSchema.objects.values_list("name", flat=True)) == unchecked
    assert "is not checked yet" in caplog.text
    with pytest.raises(IntegrityError), transaction.atomic():  # in force for new rows
        Part.objects.create(mpn="X2", manufacturer_id=maker.pk, category=category)

    Part.objects.filter(mpn="X1").delete()
    assert deferred_schema_restore() == 1  # checked once the part pointing nowhere is gone
    assert all(validated for *_, validated in foreign_keys())


def test_what_an_import_that_died_dropped_is_built_by_the_next_import(tmp_path):
    before_indexes, before_keys = indexes(), foreign_keys()
    load = catalog_schema_deferred()
    load.__enter__()  # the process dies here: the block never ends
    assert foreign_keys() == []

    result = import_catalog_file(path=write_csv(tmp_path, [part_row(mpn="RC-1")]))

    assert result.created == 1
    assert indexes() == before_indexes
    assert foreign_keys() == before_keys
    assert not DeferredCatalogSchema.objects.exists()
    assert deferred_schema_restore() == 0
