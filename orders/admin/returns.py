"""Admin: returns and complaints. Staff read the customer's request, photos and timeline on
the return's page and take the next step with its buttons (accept, ask for information,
lab test and its report, ask the manufacturer, reject, refund, replace, receive the pieces
into quarantine, release or write them off after inspection). Each button calls one
service of ``orders.returns.services``; the return's fields are not edited by hand."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from ..errors import OrdersError
from ..models import RefundDestination, ReturnEvent, ReturnRequest
from ..returns import selectors, services
from ..returns.status import ALLOWED_TRANSITIONS, RECEIVING_STATES, ReturnStatus

STEPS = {
    "accept": ("Accept", ReturnStatus.ACCEPTED),
    "request_info": ("Ask for more information", ReturnStatus.INFO_REQUESTED),
    "lab_test": ("Send for a third-party lab test", ReturnStatus.LAB_TEST),
    "manufacturer": ("Ask the manufacturer", ReturnStatus.MANUFACTURER),
    "refund_balance": ("Refund to the balance", ReturnStatus.REFUNDED),
    "refund_original": ("Refund to the original payment", ReturnStatus.REFUNDED),
    "replace": ("Send a replacement", ReturnStatus.REPLACED),
    "reject": ("Reject", ReturnStatus.REJECTED),
}


def _run_step(step: str, request_obj: ReturnRequest, staff, post, files):
    rid, message = request_obj.pk, post.get("message", "")
    if step == "accept":
        return services.return_accept(return_id=rid, staff=staff, message=message)
    if step == "request_info":
        return services.return_request_info(return_id=rid, staff=staff, message=message)
    if step == "lab_test":
        return services.return_send_to_lab(return_id=rid, staff=staff, message=message)
    if step == "lab_report":
        return services.return_lab_report_attach(
            return_id=rid, staff=staff, report=files.get("report"), message=message
        )
    if step == "manufacturer":
        return services.return_ask_manufacturer(return_id=rid, staff=staff, message=message)
    if step == "message":
        return services.return_message_add(return_id=rid, author=staff, message=message)
    if step == "reject":
        return services.return_reject(return_id=rid, staff=staff, message=message)
    if step in ("refund_balance", "refund_original"):
        destination = (
            RefundDestination.BALANCE if step == "refund_balance" else RefundDestination.ORIGINAL
        )
        return services.return_refund(
            return_id=rid, staff=staff, destination=destination, message=message
        )
    if step == "replace":
        return services.return_replace(return_id=rid, staff=staff, message=message)
    if step == "receive":
        return services.return_goods_receive(
            return_id=rid, staff=staff, quantity=post.get("quantity"), message=message
        )
    if step == "inspect":
        try:
            release = int(post.get("release") or 0)
            write_off = int(post.get("write_off") or 0)
        except ValueError:
            raise ValidationError("Enter whole numbers of pieces.") from None
        return services.return_inspect(
            return_id=rid, staff=staff, release=release, write_off=write_off, message=message
        )
    raise ValidationError("Choose a step.")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    change_form_template = "admin/orders/returnrequest/change_form.html"
    list_display = [
        "reference",
        "created_at",
        "customer",
        "order",
        "part",
        "quantity",
        "kind",
        "reason",
        "status",
    ]
    list_select_related = ["customer", "order", "line"]
    list_filter = ["status", "kind", "reason", "created_at"]
    search_fields = ["reference", "order__reference", "customer__email", "line__mpn"]
    date_hierarchy = "created_at"
    fields = [
        "reference",
        "status",
        "customer",
        "order_link",
        "line",
        "kind",
        "reason",
        "quantity",
        "description",
        "photo_links",
        "refund_due",
        "resolution",
        "refund_amount",
        "replacement_order",
        "pieces",
        "timeline",
    ]
    readonly_fields = fields

    @admin.display(description="part", ordering="line__mpn")
    def part(self, obj):
        return obj.line.mpn

    @admin.display(description="order")
    def order_link(self, obj):
        url = reverse("admin:orders_order_change", args=[obj.order_id])
        return format_html('<a href="{}">{}</a> ({})', url, obj.order.reference,
                           obj.order.get_status_display())

    @admin.display(description="photos")
    def photo_links(self, obj):
        photos = list(obj.photos.all())
        if not photos:
            return "—"
        return format_html_join(
            " ",
            '<a href="{}" target="_blank" rel="noopener">photo {}</a>',
            (
                (reverse("orders:return-photo", args=[obj.reference, photo.pk]), n)
                for n, photo in enumerate(photos, 1)
            ),
        )

    @admin.display(description="refund for these pieces (incl. VAT)")
    def refund_due(self, obj):
        return f"{services.refund_amount_for(obj)} {obj.order.currency}"

    @admin.display(description="returned pieces")
    def pieces(self, obj):
        return (
            f"{obj.received_quantity} received · {obj.in_quarantine} in quarantine · "
            f"{obj.released_quantity} back in stock · {obj.written_off_quantity} written off"
        )

    @admin.display(description="timeline")
    def timeline(self, obj):
        rows = []
        for event in ReturnEvent.objects.filter(request=obj).select_related("actor"):
            who = event.actor.email if event.actor else event.actor_label
            what = event.get_to_status_display() if event.kind == "status" else (
                event.get_kind_display()
            )
            link = (
                format_html(
                    ' · <a href="{}">lab report</a>',
                    reverse("orders:return-report", args=[obj.reference, event.pk]),
                )
                if event.attachment
                else ""
            )
            rows.append((event.created_at.strftime("%Y-%m-%d %H:%M"), who, what,
                         event.message, link))
        return format_html(
            '<ol class="return-timeline">{}</ol>',
            format_html_join("", "<li>{} · {} · <strong>{}</strong> · {}{}</li>", rows),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:object_id>/step/",
                self.admin_site.admin_view(require_POST(self.step_view)),
                name="orders_returnrequest_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, object_id: int):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        obj = get_object_or_404(ReturnRequest, pk=object_id)
        step = request.POST.get("step", "")
        try:
            _run_step(step, obj, request.user, request.POST, request.FILES)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except OrdersError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            obj.refresh_from_db()
            self.message_user(
                request, f"{obj.reference}: {obj.get_status_display()}.", messages.SUCCESS
            )
        return redirect("admin:orders_returnrequest_change", obj.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if obj is not None:
            allowed = ALLOWED_TRANSITIONS.get(obj.status, frozenset())
            extra.update(
                steps=[(key, label) for key, (label, to) in STEPS.items() if to in allowed],
                can_attach_report=obj.status == ReturnStatus.LAB_TEST,
                can_write=selectors.can_write(obj),
                can_receive=obj.status in RECEIVING_STATES
                and obj.received_quantity < obj.quantity,
                can_inspect=obj.in_quarantine > 0,
                rma=obj,
                step_url=reverse("admin:orders_returnrequest_step", args=[obj.pk]),
            )
        return super().change_view(request, object_id, form_url, extra_context=extra)
