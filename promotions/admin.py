"""Operations' tools: coupon definitions (with issue counts), issuing to customers by
email, and issued coupons with their redemptions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import services
from .errors import CouponIssueError
from .forms import IssueToCustomersForm
from .models import Coupon, CouponDefinition, CouponRedemption, CouponState


@admin.register(CouponDefinition)
class CouponDefinitionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "value",
        "minimum_spend",
        "scope",
        "validity",
        "is_first_order_coupon",
        "is_active",
        "issued_count",
        "used_count",
        "issue_link",
    ]
    list_filter = ["is_active", "kind", "scope", "is_first_order_coupon", "first_order_only"]
    search_fields = ["name"]
    autocomplete_fields = []
    filter_horizontal = ["categories", "manufacturers"]
    actions = ["issue_to_customers"]
    fieldsets = [
        (None, {"fields": ["name", "description", "is_active"]}),
        ("Value", {"fields": ["kind", "amount", "percent", "cap", "minimum_spend"]}),
        ("Scope", {"fields": ["scope", "categories", "manufacturers"]}),
        ("Validity", {"fields": ["valid_from", "valid_until", "valid_days"]}),
        ("First order", {"fields": ["first_order_only", "is_first_order_coupon"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                issued=Count("coupons"),
                used=Count("coupons", filter=Q(coupons__state=CouponState.USED)),
            )
        )

    @admin.display(description="value")
    def value(self, obj):
        return obj.value_display

    @admin.display(description="validity")
    def validity(self, obj):
        if obj.valid_days:
            return f"{obj.valid_days} days after issue"
        if obj.valid_until:
            return f"until {obj.valid_until:%Y-%m-%d}"
        return "no end"

    @admin.display(description="issued", ordering="issued")
    def issued_count(self, obj):
        return obj.issued

    @admin.display(description="used", ordering="used")
    def used_count(self, obj):
        return obj.used

    @admin.display(description="")
    def issue_link(self, obj):
        return format_html(
            '<a href="{}">Issue to customers…</a>',
            reverse("admin:promotions_coupondefinition_issue", args=[obj.pk]),
        )

    @admin.action(description="Issue the selected definition to customers…")
    def issue_to_customers(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one definition.", messages.WARNING)
            return None
        return redirect("admin:promotions_coupondefinition_issue", queryset.get().pk)

    def get_urls(self):
        return [
            path(
                "<int:pk>/issue/",
                self.admin_site.admin_view(self.issue_view),
                name="promotions_coupondefinition_issue",
            ),
            *super().get_urls(),
        ]

    def issue_view(self, request, pk):
        if not self.has_change_permission(request) or not request.user.has_perm(
            "promotions.add_coupon"
        ):
            raise PermissionDenied
        definition = get_object_or_404(CouponDefinition, pk=pk)
        form = IssueToCustomersForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.coupons_issue_to_emails(
                    definition=definition,
                    emails=form.cleaned_data["emails"],
                    issued_by=request.user,
                )
            except CouponIssueError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    f"Issued {result.issued} coupon(s) of “{definition}”.",
                    messages.SUCCESS,
                )
                if result.unknown_emails:
                    self.message_user(
                        request,
                        "No customer with these emails, nothing issued for them: "
                        + ", ".join(result.unknown_emails),
                        messages.WARNING,
                    )
                if result.skipped_emails:
                    self.message_user(
                        request,
                        "Already hold a first-order coupon, skipped: "
                        + ", ".join(result.skipped_emails),
                        messages.WARNING,
                    )
                if not result.unknown_emails:
                    return redirect("admin:promotions_coupondefinition_changelist")
                form = IssueToCustomersForm(initial={"emails": "\n".join(result.unknown_emails)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": definition,
            "definition": definition,
            "form": form,
            "title": f"Issue “{definition}” to customers",
        }
        return TemplateResponse(request, "promotions/admin/issue_to_customers.html", context)


class CouponRedemptionInline(admin.TabularInline):
    model = CouponRedemption
    extra = 0
    can_delete = False
    fields = [
        "order_reference",
        "discount",
        "shipping_discount",
        "eligible_subtotal",
        "created_at",
        "released_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "user",
        "definition",
        "state",
        "is_first_order",
        "issued_at",
        "valid_until",
        "used_at",
        "order_reference",
    ]
    list_filter = ["state", "is_first_order", "definition"]
    search_fields = ["code", "user__email"]
    list_select_related = ["user", "definition"]
    readonly_fields = [
        "definition",
        "user",
        "code",
        "state",
        "is_first_order",
        "issued_at",
        "issued_by",
        "used_at",
        "order_reference",
    ]
    fields = [*readonly_fields[:6], "valid_from", "valid_until", *readonly_fields[6:]]
    inlines = [CouponRedemptionInline]
    date_hierarchy = "issued_at"

    def has_add_permission(self, request):
        return False  # issue from a definition: "Issue to customers…"

    def save_model(self, request, obj, form, change):
        services.coupon_validity_change(
            coupon_id=obj.pk, valid_from=obj.valid_from, valid_until=obj.valid_until
        )


# Gifts, points, lucky draws, leaderboards and segments have their own screens, in their
# own modules.
from . import admin_gifts, admin_points, draw_admin  # noqa: E402, F401
