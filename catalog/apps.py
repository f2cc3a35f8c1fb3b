from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


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
        # A saved or deleted part, or a row its page shows, drops the page kept by address.
        from . import models, page_cache

        for model in (
            models.Part, models.Stock, models.SupplierOffer, models.PackagingOption,
            models.PriceBreak, models.ParameterValue, models.PartImage, models.PartAlternate,
        ):
            post_save.connect(page_cache.forget_saved, sender=model, dispatch_uid=f"page-{model}")
            post_delete.connect(
                page_cache.forget_saved, sender=model, dispatch_uid=f"page-del-{model}"
            )
        from .services import category_touch_on_part_delete

        post_delete.connect(
            category_touch_on_part_delete, sender=models.Part, dispatch_uid="category-part-del"
        )
