"""API routes of orders; included under /api/v1/ by shop/api_urls.py."""

from django.urls import path

from ..bom import api as bom_api
from ..returns import api as returns_api
from ..rfq import api as rfq_api
from . import views

urlpatterns = [
    path("cart/", views.CartView.as_view(), name="api-cart"),
    path("cart/lines/", views.CartLinesView.as_view(), name="api-cart-lines"),
    path("cart/lines/<int:line_id>/", views.CartLineView.as_view(), name="api-cart-line"),
    path("checkout/quote/", views.CheckoutQuoteView.as_view(), name="api-checkout-quote"),
    path("checkout/orders/", views.OrderPlaceView.as_view(), name="api-checkout-place"),
    path("bom/", bom_api.BomListView.as_view(), name="api-bom-list"),
    path("bom/<int:bom_id>/", bom_api.BomDetailView.as_view(), name="api-bom-detail"),
    path("bom/<int:bom_id>/cart/", bom_api.BomCartView.as_view(), name="api-bom-cart"),
    path("quotes/", rfq_api.QuoteListView.as_view(), name="api-quote-list"),
    path("quotes/<str:reference>/", rfq_api.QuoteDetailView.as_view(), name="api-quote-detail"),
    path(
        "quotes/<str:reference>/accept/",
        rfq_api.QuoteAcceptView.as_view(),
        name="api-quote-accept",
    ),
    path("orders/", views.OrderListView.as_view(), name="api-order-list"),
    path("orders/<str:reference>/", views.OrderDetailView.as_view(), name="api-order-detail"),
    path(
        "orders/<str:reference>/cancel/", views.OrderCancelView.as_view(), name="api-order-cancel"
    ),
    path("orders/<str:reference>/pdf/", views.OrderPdfView.as_view(), name="api-order-pdf"),
    path("returns/", returns_api.ReturnListView.as_view(), name="api-return-list"),
    path(
        "returns/<str:reference>/",
        returns_api.ReturnDetailView.as_view(),
        name="api-return-detail",
    ),
]
