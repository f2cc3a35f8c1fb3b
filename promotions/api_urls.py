"""API routes of promotions; included under /api/v1/ by shop/api_urls.py."""

urlpatterns: list = []
