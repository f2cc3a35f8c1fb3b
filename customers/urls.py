"""URL patterns of customers; included under /account/ by shop/urls.py."""

from django.urls import path

from . import views, views_messages

app_name = "customers"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register-done"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("verify-email/resend/", views.resend_verification, name="resend-verification"),
    path("verify-email/<str:token>/", views.verify_email, name="verify-email"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("profile/", views.profile, name="profile"),
    path("addresses/", views.address_list, name="addresses"),
    path("addresses/new/", views.address_create, name="address-create"),
    path("addresses/<int:pk>/edit/", views.address_edit, name="address-edit"),
    path("addresses/<int:pk>/delete/", views.address_delete, name="address-delete"),
    path("addresses/<int:pk>/default/", views.address_make_default, name="address-default"),
    path("invoice-details/", views.invoice_details, name="invoice-details"),
    path("balance/", views.balance, name="balance"),
    path("balance/top-up/", views.top_up_create, name="top-up"),
    path("balance/top-up/<str:reference>/", views.top_up_detail, name="top-up-detail"),
    path("points/", views.points, name="points"),
    path("messages/", views_messages.inbox, name="messages"),
    path("messages/read-all/", views_messages.mark_all_read, name="messages-read-all"),
    path("messages/settings/", views_messages.message_settings, name="message-settings"),
    path("messages/<int:pk>/", views_messages.message_detail, name="message-detail"),
    path("api-keys/", views.api_keys, name="api-keys"),
    path("api-keys/<int:pk>/revoke/", views.api_key_revoke, name="api-key-revoke"),
]
