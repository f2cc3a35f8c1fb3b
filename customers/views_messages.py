"""The account's inbox: every message the store sent the customer, newest first with the
unread ones marked; opening one marks it read. Thin views over customers.notifications."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import notifications, services
from .views import _render

INBOX_PAGE_SIZE = 20


class MessageSettingsForm(forms.Form):
    marketing_messages = forms.BooleanField(
        required=False,
        label=gettext_lazy("Send me promotions and coupon reminders"),
        help_text=gettext_lazy("Messages about your orders, payments and account always go."),
    )


@login_required
def inbox(request):
    page = Paginator(notifications.inbox(customer=request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    profile = services.profile_get(user=request.user)
    form = MessageSettingsForm(initial={"marketing_messages": profile.marketing_messages})
    return _render(
        request,
        "customers/messages.html",
        {"page": page, "profile": profile, "settings_form": form, "section": "messages"},
    )


@login_required
def message_detail(request, pk):
    message = get_object_or_404(notifications.inbox(customer=request.user), pk=pk)
    if message.read_at is None:
        marked = notifications.notification_mark_read(
            customer=request.user, notification_ids=[pk]
        )
        if getattr(request.user, "unread_messages_count", None):  # the header's count
            request.user.unread_messages_count -= marked
    link = message.link if url_has_allowed_host_and_scheme(message.link, allowed_hosts=None) else ""
    return _render(
        request,
        "customers/message_detail.html",
        {"message": message, "link": link, "section": "messages"},
    )


@login_required
@require_POST
def mark_all_read(request):
    marked = notifications.notification_mark_read(customer=request.user)
    messages.success(request, _("%(count)d message(s) marked read.") % {"count": marked})
    return redirect("customers:messages")


@login_required
@require_POST
def message_settings(request):
    form = MessageSettingsForm(request.POST)
    if not form.is_valid():  # a checkbox is always valid; kept for the form's contract
        messages.error(request, _("Your choice could not be saved. Please try again."))
        return redirect("customers:messages")
    notifications.notification_settings_update(
        customer=request.user, marketing_messages=form.cleaned_data["marketing_messages"]
    )
    if form.cleaned_data["marketing_messages"]:
        messages.success(request, _("You will get promotions and coupon reminders."))
    else:
        messages.success(
            request,
            _("Promotions are off. Messages about your orders and account still go."),
        )
    return redirect("customers:messages")
