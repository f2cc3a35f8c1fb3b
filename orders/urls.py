"""URL patterns of orders; included at the site root by shop/urls.py."""

from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/lines/<int:line_id>/quantity/", views.cart_update, name="cart-update"),
    path("cart/lines/<int:line_id>/remove/", views.cart_remove, name="cart-remove"),
    path("quote/", views.quote_request, name="quote"),
    path("quote/sent/", views.quote_sent, name="quote-sent"),
    path("account/quotes/", views.inquiry_list, name="inquiry-list"),
    path("account/quotes/<str:reference>/", views.inquiry_detail, name="inquiry-detail"),
]
