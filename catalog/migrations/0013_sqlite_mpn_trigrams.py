"""On SQLite, an FTS5 trigram index of part numbers, so "did you mean" works on the demo.

PostgreSQL has pg_trgm's GIN index (migration 0003) and needs nothing here. The FTS5 table
reads its text from ``catalog_part`` (external content) and triggers keep it in step with
every insert, update and delete. SQLite drops those triggers whenever a later migration
rebuilds ``catalog_part``, so the catalog app also puts them back after every migrate
(``catalog.fuzzy.sqlite_trigram_index_ensure``, connected in ``CatalogConfig.ready``).
"""

from django.db import migrations

TABLE = "catalog_part_mpn_trigram"


def create(apps, schema_editor):
    from catalog.fuzzy import sqlite_trigram_index_ensure

    sqlite_trigram_index_ensure(schema_editor.connection)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_value_match")]

    operations = [migrations.RunPython(create, drop)]
