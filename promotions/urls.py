"""URL patterns of promotions; included under /account/ by shop/urls.py."""

app_name = "promotions"

urlpatterns: list = []
