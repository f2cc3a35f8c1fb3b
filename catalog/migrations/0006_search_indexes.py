"""PostgreSQL search indexes: trigram on normalized MPN (partial numbers, typos), prefix
B-tree for autocomplete, and full text over descriptions. SQLite gets none of them."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS part_mpn_trgm_idx ON catalog_part "
    "USING gin (normalized_mpn gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS part_mpn_prefix_idx ON catalog_part "
    "(normalized_mpn varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS part_description_fts_idx ON catalog_part "
    "USING gin (to_tsvector('simple'::regconfig, description))",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS part_description_fts_idx",
    "DROP INDEX IF EXISTS part_mpn_prefix_idx",
    "DROP INDEX IF EXISTS part_mpn_trgm_idx",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_search_log")]

    operations = [migrations.RunPython(forward, backward)]
