"""Admin of fulfilment: pick lists (printable, marked picked), purchase requests (goods
received), shipments (one order's from its page, many from a CSV, delivered), value-added
services and their fees, and the services chosen on orders with their results.

Every action calls ``orders.fulfilment.services``; the rows themselves are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..admin.rfq import ReadOnlyInline
from ..errors import OrdersError
from ..models import (
    Carrier,
    Order,
    OrderService,
    PickList,
    PickListLine,
    PurchaseRequest,
    PurchaseRequestLine,
    PurchaseRequestStatus,
    Shipment,
    ShipmentLine,
    ValueAddedService,
)
from . import selectors, services


def _may_act(request) -> bool:
    return request.user.has_perm("orders.change_order")


# --- pick lists --------------------------------------------------------------------------------


class PickListLineInline(ReadOnlyInline):
    model = PickListLine
    fields = ["bin_location", "order_line", "quantity", "msl", "esd_sensitive"]
    readonly_fields = fields


class PickListServiceInline(ReadOnlyInline):
    model = OrderService
    verbose_name_plural = "value-added service tasks"
    fields = ["name", "line", "customer_part_number", "done_at", "result"]
    readonly_fields = fields


@admin.register(PickList)
class PickListAdmin(admin.ModelAdmin):
    list_display = ["__str__", "order", "key", "status", "created_at", "picked_at", "print_link"]
    list_filter = ["status", "created_at"]
    list_select_related = ["order"]
    search_fields = ["order__reference"]
    readonly_fields = ["order", "key", "status", "created_at", "picked_at", "picked_by", "actions_"]
    fields = readonly_fields
    inlines = [PickListLineInline, PickListServiceInline]
    actions = ["mark_picked"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_act_permission(self, request, obj=None):
        return _may_act(request)

    @admin.display(description="print")
    def print_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:orders_picklist_print", args=[obj.pk]), "Print"
        )

    @admin.display(description="actions")
    def actions_(self, obj):
        links = [(reverse("admin:orders_picklist_print", args=[obj.pk]), "Print pick list")]
        if obj.status != "picked":
            links.append((reverse("admin:orders_picklist_picked", args=[obj.pk]), "Mark picked"))
        return format_html_join(" · ", '<a class="button" href="{}">{}</a>', links)

    def get_urls(self):
        site = self.admin_site
        return [
            path("<int:pk>/print/", site.admin_view(self.print_view), name="orders_picklist_print"),
            path(
                "<int:pk>/picked/", site.admin_view(self.picked_view), name="orders_picklist_picked"
            ),
            *super().get_urls(),
        ]

    def print_view(self, request, pk):
        if not request.user.has_perm("orders.view_picklist"):
            raise PermissionDenied
        sheet = selectors.pick_sheet(pick_list_id=pk)
        return render(request, "orders/fulfilment/pick_list_print.html", {"sheet": sheet})

    def picked_view(self, request, pk):
        if not _may_act(request):
            raise PermissionDenied
        pick_list = get_object_or_404(PickList, pk=pk)
        if request.method == "POST":
            try:
                services.pick_list_mark_picked(pick_list_id=pk, actor=request.user)
            except OrdersError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                text = f"{pick_list} is picked: its pieces are ready to ship."
                self.message_user(request, text, messages.SUCCESS)
            return redirect("admin:orders_order_change", pick_list.order_id)
        return render(
            request,
            "orders/fulfilment/admin_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Mark {pick_list} picked",
                "intro": f"Every line of {pick_list} (order {pick_list.order}) is picked and "
                "packed, with its handling notes and service tasks done.",
                "submit_label": "Mark picked",
                "back": reverse("admin:orders_picklist_change", args=[pk]),
            },
        )

    @admin.action(description="Mark the selected pick lists picked", permissions=["act"])
    def mark_picked(self, request, queryset):
        done = 0
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.pick_list_mark_picked(pick_list_id=pk, actor=request.user)
            except OrdersError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} pick list(s) picked.", messages.SUCCESS)


# --- purchase requests -----------------------------------------------------------------------


class PurchaseRequestLineInline(ReadOnlyInline):
    model = PurchaseRequestLine
    fields = ["order_line", "quantity"]
    readonly_fields = fields


@admin.register(PurchaseRequest)
class PurchaseRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "supplier", "order", "status", "expected_on", "received_at"]
    list_filter = ["status", "supplier", "expected_on"]
    list_select_related = ["supplier", "order"]
    search_fields = ["order__reference", "supplier__name"]
    readonly_fields = [
        "order",
        "supplier",
        "status",
        "expected_on",
        "created_at",
        "received_at",
        "received_by",
    ]
    fields = readonly_fields
    inlines = [PurchaseRequestLineInline]
    actions = ["receive"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_act_permission(self, request, obj=None):
        return _may_act(request)

    @admin.action(description="Goods arrived: receive into stock", permissions=["act"])
    def receive(self, request, queryset):
        done = 0
        for pk in queryset.filter(status=PurchaseRequestStatus.OPEN).values_list("pk", flat=True):
            try:
                pick_list = services.purchase_request_receive(request_id=pk, actor=request.user)
            except OrdersError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                done += 1
                self.message_user(request, f"Received: on pick list {pick_list}.", messages.INFO)
        self.message_user(request, f"{done} purchase request(s) received.", messages.SUCCESS)


# --- shipments -----------------------------------------------------------------------------------


class ShipmentLineInline(ReadOnlyInline):
    model = ShipmentLine
    fields = ["order_line", "quantity"]
    readonly_fields = fields


class ShipForm(forms.Form):
    carrier = forms.ChoiceField(choices=Carrier.choices)
    tracking_number = forms.CharField(max_length=60)


class DeliverForm(forms.Form):
    """Nothing to ask: the page confirms the step."""


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: order, carrier, tracking and optionally delivered (yes).",
    )


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "order", "carrier", "shipped_at", "delivered_at", "tracking_link"]
    list_filter = ["carrier", "shipped_at", "delivered_at"]
    list_select_related = ["order"]
    search_fields = ["order__reference", "tracking_number"]
    readonly_fields = [
        "order",
        "carrier",
        "tracking_number",
        "tracking_link",
        "shipped_at",
        "delivered_at",
        "created_by",
    ]
    fields = readonly_fields
    inlines = [ShipmentLineInline]
    change_list_template = "orders/fulfilment/admin_shipment_change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="tracking")
    def tracking_link(self, obj):
        url = obj.tracking_url
        return format_html('<a href="{}" rel="noopener">{}</a>', url, "Track") if url else "—"

    def get_urls(self):
        site = self.admin_site
        return [
            path("upload/", site.admin_view(self.upload_view), name="orders_shipment_upload"),
            path(
                "ship/<int:order_pk>/", site.admin_view(self.ship_view), name="orders_shipment_ship"
            ),
            path(
                "deliver/<int:order_pk>/",
                site.admin_view(self.deliver_view),
                name="orders_shipment_deliver",
            ),
            *super().get_urls(),
        ]

    def _page(self, request, template, **context):
        return render(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.model._meta, **context},
        )

    def ship_view(self, request, order_pk):
        if not _may_act(request):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_pk)
        form = ShipForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                shipment = services.shipment_create(
                    order_id=order.pk,
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    actor=request.user,
                )
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, texts)
            except OrdersError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request, f"{order.reference} shipped with {shipment}.", messages.SUCCESS
                )
                return redirect("admin:orders_order_change", order.pk)
        return self._page(
            request,
            "orders/fulfilment/admin_ship.html",
            title=f"Ship {order.reference}",
            order=order,
            form=form,
            ready=selectors.ready_rows(order),
        )

    def deliver_view(self, request, order_pk):
        if not _may_act(request):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_pk)
        if request.method == "POST":
            try:
                services.order_mark_delivered(order_id=order.pk, actor=request.user)
            except OrdersError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request, f"{order.reference}: shipments marked delivered.", messages.SUCCESS
                )
            return redirect("admin:orders_order_change", order.pk)
        return self._page(
            request,
            "orders/fulfilment/admin_confirm.html",
            title=f"Mark {order.reference} delivered",
            intro="The carrier delivered every shipment of this order; the customer is told.",
            submit_label="Mark delivered",
            back=reverse("admin:orders_order_change", args=[order.pk]),
        )

    def upload_view(self, request):
        if not _may_act(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = services.shipments_import_csv(
                    data=form.cleaned_data["file"].read(), actor=request.user
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
        return self._page(
            request,
            "orders/fulfilment/admin_upload.html",
            title=_("Record shipments from a CSV"),
            form=form,
            report=report,
        )


# --- value-added services ------------------------------------------------------------------------


@admin.register(ValueAddedService)
class ValueAddedServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "scope", "fee", "is_active", "position"]
    list_editable = ["fee", "is_active", "position"]
    list_filter = ["is_active", "scope"]


class OrderServiceResultForm(forms.ModelForm):
    class Meta:
        model = OrderService
        fields = ["result"]

    def clean_result(self):
        upload = self.cleaned_data.get("result")
        if not upload or not hasattr(upload, "size"):
            raise ValidationError(_("Attach the service's result file."))
        services.result_file_check(upload)
        return upload


@admin.register(OrderService)
class OrderServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "line", "fee", "pick_list", "done_at", "result_name"]
    list_filter = ["kind", "done_at"]
    list_select_related = ["order", "line", "pick_list"]
    search_fields = ["order__reference"]
    form = OrderServiceResultForm
    readonly_fields = [
        "order",
        "line",
        "name",
        "fee",
        "vat",
        "customer_part_number",
        "pick_list",
        "done_at",
        "result_name",
    ]
    fields = [*readonly_fields, "result"]
    actions = ["mark_done"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_act_permission(self, request, obj=None):
        return _may_act(request)

    def save_model(self, request, obj, form, change):
        services.order_service_attach_result(
            service_id=obj.pk, upload=form.cleaned_data["result"], actor=request.user
        )

    def save_form(self, request, form, change):
        return form.instance

    @admin.action(description="Mark the selected services done", permissions=["act"])
    def mark_done(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            services.order_service_mark_done(service_id=pk, actor=request.user)
        self.message_user(request, "Marked done.", messages.SUCCESS)
