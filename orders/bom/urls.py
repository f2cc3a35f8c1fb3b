"""URL patterns of the BOM tool, added to orders/urls.py (namespace ``orders``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bom/", views.bom_upload, name="bom"),
    path("bom/<int:bom_id>/", views.bom_detail, name="bom-detail"),
    path("bom/<int:bom_id>/columns/", views.bom_columns, name="bom-columns"),
    path("bom/<int:bom_id>/settings/", views.bom_settings, name="bom-settings"),
    path(
        "bom/<int:bom_id>/lines/<int:line_id>/choose/",
        views.bom_line_choose,
        name="bom-line-choose",
    ),
    path(
        "bom/<int:bom_id>/lines/<int:line_id>/alternate/",
        views.bom_line_alternate,
        name="bom-line-alternate",
    ),
    path(
        "bom/<int:bom_id>/lines/<int:line_id>/attrition/",
        views.bom_line_attrition,
        name="bom-line-attrition",
    ),
    path("bom/<int:bom_id>/cart/", views.bom_add_to_cart, name="bom-cart"),
    path("bom/<int:bom_id>/quote/", views.bom_quote, name="bom-quote"),
    path(
        "bom/<int:bom_id>/export.<str:file_format>",
        views.bom_export,
        name="bom-export",
    ),
    path("bom/<int:bom_id>/save/", views.bom_save, name="bom-save"),
    path("account/boms/", views.account_bom_list, name="account-bom-list"),
    path("account/boms/<int:bom_id>/", views.account_bom_detail, name="account-bom-detail"),
]
