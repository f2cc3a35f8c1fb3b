"""API routes of orders; included under /api/v1/ by shop/api_urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("cart/", views.CartView.as_view(), name="api-cart"),
    path("cart/lines/", views.CartLinesView.as_view(), name="api-cart-lines"),
    path("cart/lines/<int:line_id>/", views.CartLineView.as_view(), name="api-cart-line"),
    path("checkout/quote/", views.CheckoutQuoteView.as_view(), name="api-checkout-quote"),
    path("checkout/orders/", views.OrderPlaceView.as_view(), name="api-checkout-place"),
    path("orders/", views.OrderListView.as_view(), name="api-order-list"),
    path("orders/<str:reference>/", views.OrderDetailView.as_view(), name="api-order-detail"),
    path(
        "orders/<str:reference>/cancel/", views.OrderCancelView.as_view(), name="api-order-cancel"
    ),
    path("orders/<str:reference>/pdf/", views.OrderPdfView.as_view(), name="api-order-pdf"),
]
