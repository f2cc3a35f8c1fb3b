"""Admin: carts to look at (read-only), and quote requests staff answer.

Staff write the quote (the reply and a unit price per line) on the inquiry's page, then
choose what happens next: send it to the customer, close the inquiry, or reopen it. Status
changes go through ``services.inquiry_transition``, which stamps who and when and emails the
quote once the change is saved.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..errors import InvalidTransition
from ..models import INQUIRY_TRANSITIONS, Cart, CartLine, Inquiry, InquiryLine, InquiryStatus
from ..rfq import services


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CartLineInline(ReadOnlyInline):
    model = CartLine
    fields = ["part", "packaging", "quantity", "updated_at"]
    readonly_fields = fields


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "line_count", "updated_at", "checked_out_at"]
    list_select_related = ["customer"]
    list_filter = [("customer", admin.EmptyFieldListFilter), "updated_at"]
    search_fields = ["customer__email", "lines__part__mpn"]
    date_hierarchy = "updated_at"
    readonly_fields = ["customer", "session_key", "checked_out_at", "created_at", "updated_at"]
    inlines = [CartLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("lines"))

    @admin.display(ordering="line_count", description="lines")
    def line_count(self, obj):
        return obj.line_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InquiryLineAdminForm(forms.ModelForm):
    """Staff's answer to one line: a price for a quantity until a date, or "cannot offer"
    (with an alternate part when there is one)."""

    class Meta:
        model = InquiryLine
        fields = [
            "part",
            "quoted_unit_price",
            "quoted_quantity",
            "lead_days",
            "valid_until",
            "cannot_offer",
            "alternate_part",
        ]

    def clean(self):
        cleaned = super().clean()
        price = cleaned.get("quoted_unit_price")
        if cleaned.get("cannot_offer"):
            if price is not None:
                self.add_error(
                    "quoted_unit_price", _("A line we cannot offer has no price: clear it.")
                )
            return cleaned
        answered = [
            name
            for name in ("quoted_unit_price", "quoted_quantity", "valid_until")
            if cleaned.get(name) is not None
        ]
        if not answered:
            return cleaned
        if price is None:
            self.add_error("quoted_unit_price", _("Give the unit price."))
        if not cleaned.get("quoted_quantity"):
            self.add_error("quoted_quantity", _("Give the quantity the price is for."))
        valid_until = cleaned.get("valid_until")
        if valid_until is None:
            self.add_error("valid_until", _("Give the last day the price is valid."))
        elif valid_until < timezone.localdate():
            self.add_error("valid_until", _("The validity date is in the past."))
        if cleaned.get("part") is None:
            self.add_error("part", _("Link the catalog part the price is for."))
        return cleaned


class InquiryLineInline(admin.TabularInline):
    model = InquiryLine
    form = InquiryLineAdminForm
    extra = 0
    can_delete = False
    fields = [
        "mpn",
        "manufacturer",
        "quantity",
        "target_unit_price",
        "needed_by",
        "part",
        "quoted_unit_price",
        "quoted_quantity",
        "lead_days",
        "valid_until",
        "cannot_offer",
        "alternate_part",
        "ordered_in",
    ]
    readonly_fields = [
        "mpn",
        "manufacturer",
        "quantity",
        "target_unit_price",
        "needed_by",
        "ordered_in",
    ]
    raw_id_fields = ["part", "alternate_part"]

    def get_readonly_fields(self, request, obj=None):
        """Once the customer has bought from a quote, its answers stay as they were sold."""
        if obj is not None and obj.status == InquiryStatus.ACCEPTED:
            return self.fields
        return self.readonly_fields

    @admin.display(description=_("ordered in"))
    def ordered_in(self, obj):
        order_line = getattr(obj, "order_line", None) if obj and obj.pk else None
        return order_line.order.reference if order_line else "—"

    def has_add_permission(self, request, obj=None):
        return False


NEXT_STEP_LABELS = {
    InquiryStatus.QUOTED: _("Send the quote to the customer"),
    InquiryStatus.CLOSED: _("Close the inquiry"),
    InquiryStatus.NEW: _("Reopen the inquiry"),
}


class InquiryAdminForm(forms.ModelForm):
    next_status = forms.ChoiceField(
        label="Then",
        required=False,
        help_text=_(
            "Sending emails the quote (with its PDF) to the customer and shows it in their "
            "account, where they can buy the quoted lines."
        ),
    )

    class Meta:
        model = Inquiry
        fields = ["reply"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = INQUIRY_TRANSITIONS.get(self.instance.status, frozenset())
        self.fields["next_status"].choices = [("", "Only save")] + [
            (status, label) for status, label in NEXT_STEP_LABELS.items() if status in allowed
        ]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    form = InquiryAdminForm
    list_display = [
        "reference",
        "created_at",
        "contact_name",
        "company",
        "email",
        "line_count",
        "status",
        "quoted_at",
    ]
    list_filter = ["status", "created_at"]
    date_hierarchy = "created_at"
    search_fields = ["reference", "email", "contact_name", "company", "lines__mpn"]
    readonly_fields = [
        "reference",
        "status",
        "customer",
        "contact_name",
        "email",
        "company",
        "phone",
        "note",
        "created_at",
        "quoted_at",
        "quoted_by",
        "quote_emailed_at",
        "closed_at",
        "declined_at",
        "expired_at",
    ]
    fieldsets = [
        (
            "Request",
            {
                "fields": [
                    "reference",
                    "status",
                    "created_at",
                    "customer",
                    "contact_name",
                    "email",
                    "company",
                    "phone",
                    "note",
                ]
            },
        ),
        ("Quote", {"fields": ["reply", "next_status"]}),
        (
            "History",
            {
                "fields": [
                    "quoted_at",
                    "quoted_by",
                    "quote_emailed_at",
                    "closed_at",
                    "declined_at",
                    "expired_at",
                ]
            },
        ),
    ]
    inlines = [InquiryLineInline]
    actions = ["close_inquiries"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("lines", distinct=True))

    @admin.display(ordering="line_count", description="lines")
    def line_count(self, obj):
        return obj.line_count

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        to = form.cleaned_data.get("next_status")
        if not to:
            services.inquiry_answers_saved(inquiry_id=form.instance.pk, actor=request.user)
            return
        try:
            services.inquiry_transition(inquiry_id=form.instance.pk, to=to, actor=request.user)
        except (InvalidTransition, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, _("Saved, not sent: %s") % text, messages.ERROR)
        else:
            done = {
                InquiryStatus.QUOTED: "the quote is sent to the customer",
                InquiryStatus.CLOSED: "closed",
                InquiryStatus.NEW: "reopened",
            }[to]
            self.message_user(request, f"{form.instance.reference}: {done}.")

    @admin.action(description="Close the selected inquiries")
    def close_inquiries(self, request, queryset):
        closed = 0
        for inquiry_id in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.inquiry_transition(
                    inquiry_id=inquiry_id, to=InquiryStatus.CLOSED, actor=request.user
                )
                closed += 1
            except InvalidTransition as error:
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, f"{closed} inquiry(ies) closed.", messages.SUCCESS)
