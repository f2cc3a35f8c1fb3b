"""One B-tree on the normalized MPN that answers both exact lookups and prefixes.

0006 made a pattern-ops index for prefixes, but 0008's AlterField of ``normalized_mpn``
(dropping ``db_index``) removed every plain index on the column, that one included, and
prefix searches fell back to the trigram index. The exact-lookup index is rebuilt with
``varchar_pattern_ops``, which serves ``=`` and ``LIKE 'ABC%'`` whatever the database's
collation. PostgreSQL only; SQLite keeps its plain index from 0008.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS part_normalized_mpn_idx")
        schema_editor.execute("DROP INDEX IF EXISTS part_mpn_prefix_idx")
        schema_editor.execute(
            "CREATE INDEX part_normalized_mpn_idx ON catalog_part "
            "(normalized_mpn varchar_pattern_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS part_normalized_mpn_idx")
        schema_editor.execute(
            "CREATE INDEX part_normalized_mpn_idx ON catalog_part (normalized_mpn)"
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_part_listing_copies")]

    operations = [migrations.RunPython(forward, backward)]
