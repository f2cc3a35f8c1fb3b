"""URL patterns of payments; included by orders/urls.py (names in the ``orders`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "payments/orders/<str:reference>/balance/",
        views.pay_from_balance,
        name="payment-balance",
    ),
    path("payments/orders/<str:reference>/online/", views.pay_online, name="payment-online"),
    path("payments/sandbox/<str:token>/", views.sandbox_pay, name="payment-sandbox"),
    path("payments/return/<str:token>/", views.payment_return, name="payment-return"),
    path("payments/notify/<str:provider>/", views.notify, name="payment-notify"),
]
