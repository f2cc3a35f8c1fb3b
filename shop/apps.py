from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Store"

    def ready(self):
        from catalog import sitemaps

        from .sitemaps import InfoPageSitemap, latest_change

        sitemaps.add_section("help", InfoPageSitemap, latest_change)
