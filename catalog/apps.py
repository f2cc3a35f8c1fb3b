from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_sqlite_trigram_index(sender, using, **kwargs):
    from django.db import connections

    from .fuzzy import sqlite_trigram_index_ensure

    sqlite_trigram_index_ensure(connections[using])


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        # SQLite drops a table's triggers when a migration rebuilds the table; put the part
        # number trigram index's back after every migrate (see catalog.fuzzy).
        post_migrate.connect(_ensure_sqlite_trigram_index, sender=self)
