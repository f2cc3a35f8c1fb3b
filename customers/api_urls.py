"""API routes of customers; included under /api/v1/ by shop/api_urls.py."""

urlpatterns: list = []
