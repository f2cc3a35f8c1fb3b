"""Admin: customers with profile, addresses and invoice details; top-ups with confirmation;
bonus tiers; read-only ledgers; adjustments with a mandatory reason (audited)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import services
from .errors import CustomersError
from .models import (
    Address,
    ApiKey,
    BalanceAdjustment,
    BalanceEntry,
    CustomerProfile,
    InvoiceDetails,
    PointsAdjustment,
    PointsEntry,
    PointsRule,
    TopUp,
    TopUpBonusTier,
    TopUpStatus,
    User,
)


class CustomerCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class CustomerChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ProfileInline(admin.StackedInline):
    model = CustomerProfile
    can_delete = False
    fields = ["customer_type", "company_name", "phone", "email_verified_at", "balance", "points"]
    readonly_fields = ["balance", "points"]


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


class InvoiceDetailsInline(admin.StackedInline):
    model = InvoiceDetails
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = CustomerChangeForm
    add_form = CustomerCreationForm
    ordering = ["email"]
    search_fields = ["email", "first_name", "last_name", "profile__company_name"]
    list_display = [
        "email",
        "company",
        "customer_type",
        "balance",
        "points",
        "is_staff",
        "date_joined",
    ]
    list_select_related = ["profile"]
    list_filter = ["is_staff", "is_active", "profile__customer_type"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [ProfileInline, AddressInline, InvoiceDetailsInline]

    @admin.display(ordering="profile__company_name")
    def company(self, obj):
        return getattr(getattr(obj, "profile", None), "company_name", "")

    @admin.display(ordering="profile__customer_type")
    def customer_type(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.get_customer_type_display() if profile else ""

    @admin.display(ordering="profile__balance")
    def balance(self, obj):
        return getattr(getattr(obj, "profile", None), "balance", None)

    @admin.display(ordering="profile__points")
    def points(self, obj):
        return getattr(getattr(obj, "profile", None), "points", None)

    def get_inlines(self, request, obj):
        return self.inlines if obj else []


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledgers: visible, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BalanceEntry)
class BalanceEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "user",
        "kind",
        "amount",
        "balance_after",
        "reference_type",
        "reference_id",
        "created_by",
    ]
    list_filter = ["kind"]
    search_fields = ["user__email", "reference_id", "idempotency_key"]
    list_select_related = ["user", "created_by"]
    date_hierarchy = "created_at"


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "user",
        "kind",
        "points",
        "balance_after",
        "reference_id",
        "expires_at",
    ]
    list_filter = ["kind"]
    search_fields = ["user__email", "reference_id"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(TopUpBonusTier)
class TopUpBonusTierAdmin(admin.ModelAdmin):
    list_display = ["min_amount", "bonus", "is_active"]
    list_editable = ["bonus", "is_active"]


@admin.register(PointsRule)
class PointsRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "points_per_unit", "expiry_months"]

    def has_add_permission(self, request):
        return not PointsRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TopUp)
class TopUpAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "user",
        "amount",
        "bonus",
        "status",
        "created_at",
        "confirmed_at",
        "confirmed_by",
    ]
    list_filter = ["status"]
    search_fields = ["reference", "user__email", "provider_reference"]
    list_select_related = ["user", "confirmed_by"]
    readonly_fields = [
        "reference",
        "user",
        "amount",
        "bonus",
        "status",
        "created_at",
        "confirmed_at",
        "confirmed_by",
        "provider_reference",
    ]
    actions = ["confirm_transfers"]
    change_form_template = "admin/customers/topup/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Confirm the transfer arrived (credit amount and bonus)")
    def confirm_transfers(self, request, queryset):
        confirmed = 0
        for top_up_id in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.top_up_confirm(top_up_id=top_up_id, confirmed_by=request.user)
                confirmed += 1
            except CustomersError as error:
                self.message_user(request, str(error), messages.ERROR)
        self.message_user(request, f"{confirmed} top-up(s) confirmed.", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:pk>/confirm/",
                self.admin_site.admin_view(require_POST(self.confirm_view)),
                name="customers_topup_confirm",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request, pk):
        if not self.has_view_or_change_permission(request) or not request.user.has_perm(
            "customers.change_topup"
        ):
            return redirect("admin:index")
        top_up = get_object_or_404(TopUp, pk=pk)
        try:
            services.top_up_confirm(
                top_up_id=top_up.pk,
                confirmed_by=request.user,
                provider_reference=request.POST.get("provider_reference", "")[:100],
            )
        except CustomersError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                f"{top_up.reference} confirmed: {top_up.total_credit} credited.",
                messages.SUCCESS,
            )
        return redirect(reverse("admin:customers_topup_change", args=[pk]))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_confirm"] = bool(obj and obj.status == TopUpStatus.AWAITING_TRANSFER)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


class AdjustmentAdmin(admin.ModelAdmin):
    """Add-only: the form calls the service; a written adjustment is never changed."""

    autocomplete_fields = ["user"]
    list_select_related = ["user", "staff"]
    search_fields = ["user__email", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] if obj else []

    def get_fields(self, request, obj=None):
        return (
            ["user", self.amount_field, "reason"]
            if obj is None
            else super().get_fields(request, obj)
        )

    def save_model(self, request, obj, form, change):
        created = self.adjust(obj, staff=request.user)
        obj.pk, obj.entry, obj.staff = created.pk, created.entry, created.staff
        obj._state.adding = False


class BalanceAdjustmentForm(forms.ModelForm):
    class Meta:
        model = BalanceAdjustment
        fields = ["user", "amount", "reason"]

    def clean(self):
        cleaned = super().clean()
        user, amount = cleaned.get("user"), cleaned.get("amount")
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why the balance is adjusted.")
        if amount == 0:
            self.add_error("amount", "The adjustment must not be zero.")
        if user and amount is not None and amount < 0:
            balance = services.profile_get(user=user).balance
            if balance + amount < 0:
                self.add_error("amount", f"The balance is only {balance}; it cannot go negative.")
        return cleaned


@admin.register(BalanceAdjustment)
class BalanceAdjustmentAdmin(AdjustmentAdmin):
    form = BalanceAdjustmentForm
    amount_field = "amount"
    list_display = ["created_at", "user", "amount", "reason", "staff"]

    def adjust(self, obj, *, staff):
        return services.balance_adjust(
            user=obj.user, amount=obj.amount, reason=obj.reason, staff=staff
        )


class PointsAdjustmentForm(forms.ModelForm):
    class Meta:
        model = PointsAdjustment
        fields = ["user", "points", "reason"]

    def clean(self):
        cleaned = super().clean()
        user, points = cleaned.get("user"), cleaned.get("points")
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why the points are adjusted.")
        if points == 0:
            self.add_error("points", "The adjustment must not be zero.")
        if user and points is not None and points < 0:
            held = services.profile_get(user=user).points
            if held + points < 0:
                self.add_error("points", f"The customer holds only {held} points.")
        return cleaned


@admin.register(PointsAdjustment)
class PointsAdjustmentAdmin(AdjustmentAdmin):
    form = PointsAdjustmentForm
    amount_field = "points"
    list_display = ["created_at", "user", "points", "reason", "staff"]

    def adjust(self, obj, *, staff):
        return services.points_adjust(
            user=obj.user, points=obj.points, reason=obj.reason, staff=staff
        )


class ApiKeyAddForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["user", "name", "scope", "expires_at"]

    def clean_expires_at(self):
        moment = self.cleaned_data.get("expires_at")
        if moment is not None and moment <= timezone.now():
            raise forms.ValidationError("The expiry must be in the future.")
        return moment


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Partners' API keys: staff create one for a customer (the key is shown once, in the
    message after saving) and revoke; the secret itself is never stored."""

    list_display = [
        "name", "user", "display_prefix", "scope", "created_at", "last_used_at", "expires_at",
        "revoked_at",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    autocomplete_fields = ["user"]
    readonly_fields = [
        "display_prefix", "created_at", "created_by", "last_used_at", "revoked_at",
    ]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scope", "expires_at"]
        return ["user", "name", "display_prefix", "scope", "expires_at", "created_at",
                "created_by", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            key, secret = services.api_key_create(
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.cleaned_data.get("expires_at"),
                created_by=request.user,
            )
        except CustomersError as error:
            raise forms.ValidationError(str(error)) from error
        obj.pk = key.pk
        obj.__dict__.update({f.attname: getattr(key, f.attname) for f in key._meta.concrete_fields})
        obj._state.adding = False
        messages.warning(
            request,
            f"The new key is {secret} — give it to the customer now: it is not shown again.",
        )

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        for key in queryset:
            services.api_key_revoke(user=None, key_id=key.pk)
        self.message_user(request, f"{queryset.count()} key(s) revoked.")

    def has_delete_permission(self, request, obj=None):
        return False


from . import admin_notifications  # noqa: E402, F401  (notifications and their templates)
