"""URL patterns of promotions; included under /account/ by shop/urls.py."""

from django.urls import path

from . import draw_views, views, views_points

app_name = "promotions"

urlpatterns = [
    path("coupons/", views.coupon_list, name="coupon-list"),
    path("draws/", draw_views.draw_list, name="draw-list"),
    path("draws/<str:public_id>/", draw_views.draw_detail, name="draw-detail"),
    path("draws/<str:public_id>/play/", draw_views.draw_play, name="draw-play"),
    path("points/shop/", views_points.points_shop, name="points-shop"),
    path(
        "points/shop/<int:item_id>/redeem/",
        views_points.points_shop_redeem,
        name="points-shop-redeem",
    ),
]
