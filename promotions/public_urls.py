"""Public pages of promotions: lucky-draw campaigns and their reveal, leaderboards."""

from django.urls import path

from . import draw_views

app_name = "promotions-public"

urlpatterns = [
    path("draws/<slug:slug>/", draw_views.campaign_page, name="draw-campaign"),
    path("draws/<slug:slug>/reveal/", draw_views.reveal_page, name="draw-reveal"),
    path("leaderboards/<slug:slug>/", draw_views.leaderboard_page, name="leaderboard"),
]
