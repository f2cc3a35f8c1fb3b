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


class InquiryLineInline(admin.TabularInline):
    model = InquiryLine
    extra = 0
    can_delete = False
    fields = ["mpn", "manufacturer", "part", "quantity", "target_unit_price", "quoted_unit_price"]
    readonly_fields = ["mpn", "manufacturer", "quantity", "target_unit_price"]
    raw_id_fields = ["part"]

    def has_add_permission(self, request, obj=None):
        return False


NEXT_STEP_LABELS = {
    InquiryStatus.QUOTED: "Send the quote to the customer",
    InquiryStatus.CLOSED: "Close the inquiry",
    InquiryStatus.NEW: "Reopen the inquiry",
}


class InquiryAdminForm(forms.ModelForm):
    next_status = forms.ChoiceField(
        label="Then",
        required=False,
        help_text="Sending emails the quote and the unit prices to the customer.",
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

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("next_status") == InquiryStatus.QUOTED
            and not (cleaned.get("reply") or "").strip()
        ):
            self.add_error("reply", "Write the quote before sending it.")
        return cleaned


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
        ("History", {"fields": ["quoted_at", "quoted_by", "quote_emailed_at", "closed_at"]}),
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
            return
        try:
            services.inquiry_transition(inquiry_id=form.instance.pk, to=to, actor=request.user)
        except (InvalidTransition, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            self.message_user(request, message, messages.ERROR)
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
