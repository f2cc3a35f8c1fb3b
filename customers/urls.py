"""URL patterns of customers; included under /account/ by shop/urls.py."""

app_name = "customers"

urlpatterns: list = []
