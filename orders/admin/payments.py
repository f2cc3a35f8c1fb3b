"""Admin: payments, gateway notifications and refunds (read-only, every money movement
traceable), and the form staff use to record a bank transfer that arrived.

"Record a received bank transfer" is the Payments list's add button (on the admin index
too) and a link above the list; it goes through
``orders.payments.services.payment_record_bank_transfer``.
"""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from ..errors import PaymentError
from ..models import GatewayNotification, Payment, Refund, RefundDestination, RefundStatus
from ..payments import services
from ..payments import tasks as payment_tasks

FIELD_OF_ERROR = {
    "unknown_reference": "reference",
    "invalid_amount": "amount",
    "duplicate_transfer": "bank_reference",
}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _order_link(order):
    try:
        url = reverse("admin:orders_order_change", args=[order.pk])
    except NoReverseMatch:
        return order.reference
    return format_html('<a href="{}">{}</a>', url, order.reference)


class BankTransferForm(forms.Form):
    reference = forms.CharField(
        label="Order reference",
        max_length=40,
        help_text="As the customer quoted it; case, spaces and the dash do not matter.",
    )
    amount = forms.CharField(label="Amount received", max_length=30, help_text="e.g. 1200.50")
    bank_reference = forms.CharField(
        max_length=100,
        required=False,
        help_text="The bank's transaction reference: recording it twice records one payment.",
    )
    note = forms.CharField(max_length=255, required=False)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "order_link",
        "method",
        "status",
        "amount",
        "currency",
        "provider",
        "provider_reference",
        "created_at",
        "succeeded_at",
        "recorded_by",
    ]
    list_filter = ["method", "status", "provider", "created_at"]
    list_select_related = ["order", "recorded_by"]
    search_fields = ["order__reference", "provider_reference", "order__customer__email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "order",
        "method",
        "provider",
        "amount",
        "currency",
        "status",
        "provider_reference",
        "recorded_by",
        "note",
        "created_at",
        "succeeded_at",
    ]
    change_list_template = "orders/payments/admin_payment_change_list.html"

    @admin.display(description="order", ordering="order__reference")
    def order_link(self, obj):
        return _order_link(obj.order)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:orders_payment_record_transfer")

    def get_urls(self):
        return [
            path(
                "record-transfer/",
                self.admin_site.admin_view(self.record_transfer_view),
                name="orders_payment_record_transfer",
            ),
            *super().get_urls(),
        ]

    def record_transfer_view(self, request):
        if not self.has_add_permission(request):
            messages.error(request, "You may not record payments.")
            return redirect("admin:index")
        form = BankTransferForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                outcome = services.payment_record_bank_transfer(
                    staff=request.user, **form.cleaned_data
                )
            except PaymentError as error:
                form.add_error(FIELD_OF_ERROR.get(error.code), str(error))
                messages.error(request, str(error))
            else:
                messages.success(request, outcome.message)
                return redirect("admin:orders_payment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Record a received bank transfer",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "orders/payments/admin_record_transfer.html", context)


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "event_id", "payment", "outcome"]
    list_filter = ["provider", "received_at"]
    list_select_related = ["payment"]
    search_fields = ["event_id", "payment__provider_reference", "payment__order__reference"]
    date_hierarchy = "received_at"
    readonly_fields = ["provider", "event_id", "payment", "payload", "outcome", "received_at"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "order_link",
        "amount",
        "destination",
        "status",
        "provider_reference",
        "reason",
        "created_at",
        "succeeded_at",
        "last_error",
    ]
    list_filter = ["destination", "status", "created_at"]
    list_select_related = ["order"]
    search_fields = ["order__reference", "provider_reference", "reason"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "order",
        "payment",
        "amount",
        "destination",
        "status",
        "provider_reference",
        "reason",
        "created_by",
        "created_at",
        "succeeded_at",
        "last_error",
    ]
    actions = ["send_again"]

    @admin.display(description="order", ordering="order__reference")
    def order_link(self, obj):
        return _order_link(obj.order)

    @admin.action(description="Send pending refunds to the gateway again")
    def send_again(self, request, queryset):
        pending = queryset.filter(
            status=RefundStatus.PENDING, destination=RefundDestination.ORIGINAL
        ).order_by("pk")
        count = 0
        for refund_id in pending.values_list("pk", flat=True):
            payment_tasks.refund_send.delay_on_commit(refund_id=refund_id)
            count += 1
        self.message_user(request, f"{count} pending refund(s) sent again.", messages.SUCCESS)
