"""Admin: shipping methods with their rate bands, and orders staff look after.

An order's page is read-only: its lines, payments, refunds and timeline are copies of what
happened, and staff never edit an amount or a line. What staff may do goes through the
services, each from its own page: cancel with a reason (``lifecycle.order_cancel``), refund
part of it to the customer's balance (the payments services) and mark a paid order completed
(``lifecycle.order_transition``).
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template import engines
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from ..errors import OrdersError
from ..fulfilment.admin_order import (
    PickListInline,
    PurchaseRequestInline,
    ShipmentInline,
    fulfilment_actions,
)
from ..lifecycle import services as lifecycle
from ..models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    Refund,
    RefundDestination,
    ShippingMethod,
    ShippingRate,
)
from ..status import can_transition
from .rfq import ReadOnlyInline

# ISO 3166-1 alpha-2, officially assigned.
ISO_COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - a table, read as one
)
NOT_NEGATIVE = "Enter 0 or more."


def _not_negative(value):
    if value is not None and value < 0:
        raise ValidationError(NOT_NEGATIVE)
    return value


# --- shipping methods -------------------------------------------------------------------------


class ShippingRateForm(forms.ModelForm):
    class Meta:
        model = ShippingRate
        fields = ["min_amount", "fee"]

    def clean_min_amount(self):
        return _not_negative(self.cleaned_data.get("min_amount"))

    def clean_fee(self):
        return _not_negative(self.cleaned_data.get("fee"))


class ShippingRateInline(admin.TabularInline):
    model = ShippingRate
    form = ShippingRateForm
    extra = 1
    verbose_name = "rate band"
    verbose_name_plural = "rate bands (the highest band the parts subtotal reaches applies)"


class ShippingMethodForm(forms.ModelForm):
    class Meta:
        model = ShippingMethod
        fields = [
            "name",
            "carrier",
            "tracking_url",
            "transit_days",
            "fee_per_thousand_pieces",
            "free_shipping_threshold",
            "countries",
            "regions",
            "is_active",
            "position",
        ]

    def clean_countries(self):
        codes = [c.strip().upper() for c in self.cleaned_data["countries"].split(",")]
        codes = [c for c in codes if c]
        if not codes:
            raise ValidationError("Enter at least one country code, e.g. CN.")
        unknown = [c for c in codes if c not in ISO_COUNTRIES]
        if unknown:
            raise ValidationError(
                f"Not ISO country codes: {', '.join(unknown)}. Enter two-letter codes "
                "separated by commas, e.g. CN, HK."
            )
        return ",".join(dict.fromkeys(codes))

    def clean_regions(self):
        regions = [r.strip() for r in self.cleaned_data["regions"].split(",")]
        return ",".join(r for r in regions if r)

    def clean_tracking_url(self):
        url = self.cleaned_data["tracking_url"].strip()
        if url and not url.startswith(("https://", "http://")):
            raise ValidationError("Start the tracking link with https://.")
        if url and "{tracking}" not in url:
            raise ValidationError("Put {tracking} where the tracking number goes.")
        return url

    def clean_fee_per_thousand_pieces(self):
        return _not_negative(self.cleaned_data.get("fee_per_thousand_pieces"))

    def clean_free_shipping_threshold(self):
        return _not_negative(self.cleaned_data.get("free_shipping_threshold"))


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    form = ShippingMethodForm
    list_display = [
        "name",
        "carrier",
        "countries",
        "transit_days",
        "fee_per_thousand_pieces",
        "free_shipping_threshold",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active", "carrier"]
    search_fields = ["name", "carrier"]
    inlines = [ShippingRateInline]


# --- orders: read-only copies -----------------------------------------------------------------


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "position",
        "mpn",
        "manufacturer",
        "packaging_label",
        "quantity",
        "unit_price",
        "line_total",
        "discount",
        "net",
        "vat",
        "gross",
        "from_stock",
        "from_suppliers",
        "lead_days",
    ]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = [
        "created_at",
        "method",
        "provider",
        "amount",
        "currency",
        "status",
        "provider_reference",
        "recorded_by",
        "succeeded_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = [
        "created_at",
        "amount",
        "destination",
        "status",
        "reason",
        "created_by",
        "succeeded_at",
        "last_error",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    verbose_name_plural = "timeline"
    fields = ["created_at", "kind", "from_status", "to_status", "actor_label", "actor", "message"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# --- orders: staff actions --------------------------------------------------------------------


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=255, help_text="Kept in the order's timeline and shown to the customer."
    )
    refund_to = forms.ChoiceField(
        label="Refund online payments to",
        choices=RefundDestination.choices,
        initial=RefundDestination.BALANCE,
        widget=forms.RadioSelect,
        help_text="Balance and bank-transfer payments are always refunded to the balance.",
    )


class RefundForm(forms.Form):
    amount = forms.DecimalField(max_digits=19, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(max_length=255, help_text="Kept with the refund and the ledger.")


class CompleteForm(forms.Form):
    """Nothing to ask: the page confirms the step."""


ACTION_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}
{% load admin_urls %}
{% block breadcrumbs %}<div class="breadcrumbs">
  <a href="{% url 'admin:index' %}">Home</a>
  &rsaquo; <a href="{% url 'admin:app_list' app_label=opts.app_label %}">
    {{ opts.app_config.verbose_name }}</a>
  &rsaquo; <a href="{% url opts|admin_urlname:'changelist' %}">
    {{ opts.verbose_name_plural|capfirst }}</a>
  &rsaquo; <a href="{% url opts|admin_urlname:'change' order.pk %}">{{ order }}</a>
  &rsaquo; {{ title }}
</div>{% endblock %}
{% block content %}
<p>{{ order.reference }} of {{ order.customer }} · {{ order.get_status_display }} ·
  total {{ order.total }} {{ order.currency }},
  paid {{ order.amount_paid }} {{ order.currency }}</p>
<p>{{ intro }}</p>
<form method="post">{% csrf_token %}
  {{ form.as_div }}
  <div class="submit-row">
    <input type="submit" class="default" value="{{ submit_label }}">
    <a href="{% url opts|admin_urlname:'change' order.pk %}" class="closelink">Back to the order</a>
  </div>
</form>
{% endblock %}"""
)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "customer",
        "status",
        "payment_method",
        "total",
        "amount_paid",
        "po_number",
        "placed_at",
    ]
    list_select_related = ["customer"]
    list_filter = ["status", "payment_method", "placed_at"]
    date_hierarchy = "placed_at"
    search_fields = ["reference", "customer__email", "po_number", "lines__mpn"]
    search_help_text = "Order reference, customer email, PO number or MPN of a line."
    actions = ["mark_completed"]
    inlines = [
        OrderLineInline,
        PaymentInline,
        RefundInline,
        PickListInline,
        PurchaseRequestInline,
        ShipmentInline,
        OrderEventInline,
    ]
    fieldsets = [
        (
            "Order",
            {
                "fields": [
                    "reference",
                    "status",
                    "staff_actions",
                    "customer_links",
                    "po_number",
                    "note",
                    "placed_at",
                    "payment_method",
                    "payment_due_at",
                    "paid_at",
                    "cancelled_at",
                ]
            },
        ),
        (
            "Amounts",
            {
                "fields": [
                    "currency",
                    "vat_rate",
                    "subtotal",
                    "discount",
                    "coupon_code",
                    "shipping_fee",
                    "shipping_discount",
                    "vat",
                    "total",
                    "points_used",
                    "points_amount",
                    "balance_amount",
                    "amount_due",
                    "amount_paid",
                    "outstanding",
                ]
            },
        ),
        (
            "Ship to",
            {
                "fields": [
                    "shipping_address",
                    "phone",
                    "shipping_method_name",
                    "ship_partial",
                    "expected_ship_date",
                ]
            },
        ),
        (
            "Invoice",
            {
                "fields": [
                    "invoice_kind",
                    "invoice_title",
                    "invoice_taxpayer_id",
                    "invoice_address",
                    "invoice_phone",
                    "invoice_bank_name",
                    "invoice_bank_account",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, section in self.fieldsets for name in section["fields"]]

    # Orders are made by checkout and changed by the services only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_act_permission(self, request, obj=None):
        """Staff who may change orders may use the actions (which call the services)."""
        return request.user.has_perm("orders.change_order")

    @admin.display(description="customer")
    def customer_links(self, obj):
        customer = reverse("admin:customers_user_change", args=[obj.customer_id])
        ledger = reverse("admin:customers_balanceentry_changelist")
        return format_html(
            '<a href="{}">{}</a> · <a href="{}?user__id__exact={}">balance ledger</a>',
            customer,
            obj.customer,
            ledger,
            obj.customer_id,
        )

    @admin.display(description="actions")
    def staff_actions(self, obj):
        links = []
        if can_transition(obj.status, OrderStatus.CANCELLED):
            links.append(("cancel", "Cancel with reason…"))
        if obj.amount_paid > 0:
            links.append(("refund", "Refund to balance…"))
        if can_transition(obj.status, OrderStatus.COMPLETED):
            links.append(("complete", "Mark completed…"))
        urls = [
            (reverse(f"admin:orders_order_{name}", args=[obj.pk]), label) for name, label in links
        ]
        urls += fulfilment_actions(obj)
        if not urls:
            return "—"
        return format_html_join(" · ", '<a class="button" href="{}">{}</a>', urls)

    def get_urls(self):
        def view(name, function):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(function),
                name=f"orders_order_{name}",
            )

        return [
            view("cancel", self.cancel_view),
            view("refund", self.refund_view),
            view("complete", self.complete_view),
            *super().get_urls(),
        ]

    def _action_page(self, request, order, form, *, title, intro, submit_label):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "order": order,
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
        }
        return HttpResponse(ACTION_PAGE.render(context, request))

    def _order_for_action(self, request, pk) -> Order:
        if not self.has_act_permission(request):
            raise PermissionDenied
        return get_object_or_404(Order.objects.select_related("customer"), pk=pk)

    def _back_to(self, order):
        return redirect("admin:orders_order_change", order.pk)

    def cancel_view(self, request, pk):
        order = self._order_for_action(request, pk)
        if order.status == OrderStatus.CANCELLED:
            self.message_user(request, f"{order.reference} is already cancelled.", messages.INFO)
            return self._back_to(order)
        form = CancelForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                lifecycle.order_cancel(
                    order_id=order.pk,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    by_staff=True,
                    refund_to=form.cleaned_data["refund_to"],
                )
            except OrdersError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    f"{order.reference} is cancelled: its stock is released and what was "
                    "paid is refunded.",
                    messages.SUCCESS,
                )
                return self._back_to(order)
        return self._action_page(
            request,
            order,
            form,
            title=f"Cancel {order.reference}",
            intro="Cancelling releases the order's stock, gives back its coupon and points and "
            "refunds every payment, in one go.",
            submit_label="Cancel the order",
        )

    def refund_view(self, request, pk):
        order = self._order_for_action(request, pk)
        try:
            from ..payments.services import refund_to_balance
        except ImportError:
            self.message_user(
                request, "Refunds to the balance are not available yet.", messages.ERROR
            )
            return self._back_to(order)
        form = RefundForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            amount = form.cleaned_data["amount"]
            try:
                refund_to_balance(
                    order_id=order.pk,
                    amount=amount,
                    staff=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except OrdersError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error("amount", error.messages)
            else:
                self.message_user(
                    request,
                    f"{amount} {order.currency} of {order.reference} refunded to the balance "
                    f"of {order.customer}.",
                    messages.SUCCESS,
                )
                return self._back_to(order)
        return self._action_page(
            request,
            order,
            form,
            title=f"Refund {order.reference} to the balance",
            intro="The amount is credited to the customer's balance at once and kept in their "
            "ledger.",
            submit_label="Refund",
        )

    def complete_view(self, request, pk):
        order = self._order_for_action(request, pk)
        form = CompleteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                lifecycle.order_transition(
                    order_id=order.pk,
                    to=OrderStatus.COMPLETED,
                    actor=request.user,
                    reason="Marked completed",
                )
            except OrdersError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"{order.reference} is completed.", messages.SUCCESS)
            return self._back_to(order)
        return self._action_page(
            request,
            order,
            form,
            title=f"Complete {order.reference}",
            intro="A paid order that reached the customer is completed.",
            submit_label="Mark completed",
        )

    @admin.action(description="Mark the selected paid orders completed", permissions=["act"])
    def mark_completed(self, request, queryset):
        done = 0
        for order_id in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                lifecycle.order_transition(
                    order_id=order_id,
                    to=OrderStatus.COMPLETED,
                    actor=request.user,
                    reason="Marked completed",
                )
            except OrdersError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} order(s) completed.", messages.SUCCESS)
