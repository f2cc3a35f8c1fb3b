"""Signing in with the Django model backend, with the user's unread-message count read in
the same query that loads the signed-in user on every request. The header shows the count
on every page; this way a signed-in page pays no extra query for it (one subquery on the
(customer, read_at) index), and anonymous pages none at all."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification


def _unread_subquery():
    unread = (
        Notification.objects.filter(customer=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("customer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


class CustomerBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            unread_messages_count=_unread_subquery()
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
