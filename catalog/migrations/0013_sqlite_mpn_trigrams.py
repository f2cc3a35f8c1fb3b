"""On SQLite, an FTS5 trigram index of part numbers, so "did you mean" works on the demo.

PostgreSQL has pg_trgm's GIN index (migration 0003) and needs nothing here. The FTS5 table
reads its text from ``catalog_part`` (external content) and triggers keep it in step with
every insert, update and delete, including the catalog import's bulk writes.
"""

from django.db import migrations

TABLE = "catalog_part_mpn_trigram"

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "normalized_mpn, content='catalog_part', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON catalog_part BEGIN
        INSERT INTO {TABLE}(rowid, normalized_mpn) VALUES (new.id, new.normalized_mpn);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON catalog_part BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, normalized_mpn)
        VALUES ('delete', old.id, old.normalized_mpn);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF normalized_mpn
        ON catalog_part BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, normalized_mpn)
        VALUES ('delete', old.id, old.normalized_mpn);
        INSERT INTO {TABLE}(rowid, normalized_mpn) VALUES (new.id, new.normalized_mpn);
    END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_value_match")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
