"""URL patterns of promotions; included under /account/ by shop/urls.py."""

from django.urls import path

from . import views, views_points

app_name = "promotions"

urlpatterns = [
    path("coupons/", views.coupon_list, name="coupon-list"),
    path("points/shop/", views_points.points_shop, name="points-shop"),
    path(
        "points/shop/<int:item_id>/redeem/",
        views_points.points_shop_redeem,
        name="points-shop-redeem",
    ),
]
