"""URL patterns of returns; included by orders/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("account/returns/", views.return_list, name="return-list"),
    path("account/returns/<str:reference>/", views.return_detail, name="return-detail"),
    path(
        "account/returns/<str:reference>/message/", views.return_message, name="return-message"
    ),
    path(
        "account/returns/<str:reference>/photos/<int:photo_id>/",
        views.return_photo,
        name="return-photo",
    ),
    path(
        "account/returns/<str:reference>/reports/<int:event_id>/",
        views.return_report,
        name="return-report",
    ),
    path(
        "account/orders/<str:reference>/lines/<int:line_id>/return/",
        views.return_open,
        name="return-open",
    ),
]
