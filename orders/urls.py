"""URL patterns of orders; included at the site root by shop/urls.py."""

from django.urls import include, path

from .account import views as account_views
from .bom.urls import urlpatterns as bom_urlpatterns
from .cart import views as cart_views
from .checkout import views as checkout_views
from .fulfilment import views as fulfilment_views
from .returns.urls import urlpatterns as returns_urlpatterns
from .rfq import views as rfq_views

app_name = "orders"

urlpatterns = [
    path("cart/", cart_views.cart_detail, name="cart"),
    path("cart/add/", cart_views.cart_add, name="cart-add"),
    path("cart/lines/<int:line_id>/quantity/", cart_views.cart_update, name="cart-update"),
    path("cart/lines/<int:line_id>/remove/", cart_views.cart_remove, name="cart-remove"),
    path("cart/lines/<int:line_id>/packaging/", cart_views.cart_packaging, name="cart-packaging"),
    path(
        "cart/lines/<int:line_id>/reel-split/", cart_views.cart_reel_split, name="cart-reel-split"
    ),
    path("vat/", cart_views.vat_rule, name="vat"),
    path("checkout/", checkout_views.checkout, name="checkout"),
    path("checkout/place/", checkout_views.checkout_place, name="checkout-place"),
    path("account/orders/", account_views.order_list, name="order-list"),
    path("account/orders/<str:reference>/", account_views.order_detail, name="order-detail"),
    path("account/orders/<str:reference>/pdf/", account_views.order_pdf, name="order-pdf"),
    path("account/orders/<str:reference>/cancel/", account_views.order_cancel, name="order-cancel"),
    path(
        "account/orders/<str:reference>/reorder/",
        account_views.order_reorder,
        name="order-reorder",
    ),
    path(
        "account/orders/<str:reference>/attachments/<int:service_id>/",
        fulfilment_views.order_attachment,
        name="order-attachment",
    ),
    path("quote/", rfq_views.quote_request, name="quote"),
    path("quote/sent/", rfq_views.quote_sent, name="quote-sent"),
    path("account/quotes/", rfq_views.inquiry_list, name="inquiry-list"),
    path("account/quotes/<str:reference>/", rfq_views.inquiry_detail, name="inquiry-detail"),
    path(
        "account/quotes/<str:reference>/accept/", rfq_views.inquiry_accept, name="inquiry-accept"
    ),
    path(
        "account/quotes/<str:reference>/decline/",
        rfq_views.inquiry_decline,
        name="inquiry-decline",
    ),
    path("account/quotes/<str:reference>/pdf/", rfq_views.inquiry_pdf, name="inquiry-pdf"),
    path("", include("orders.payments.urls")),
    *bom_urlpatterns,
    *returns_urlpatterns,
]
