"""URL patterns of promotions; included under /account/ by shop/urls.py."""

from django.urls import path

from . import views

app_name = "promotions"

urlpatterns = [
    path("coupons/", views.coupon_list, name="coupon-list"),
]
