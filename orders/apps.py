from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .cart.session import merge_cart_at_login

        user_logged_in.connect(merge_cart_at_login, dispatch_uid="orders.merge_cart_at_login")
