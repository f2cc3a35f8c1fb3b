"""Account pages: thin views that parse a form, call one service or selector, render."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .errors import CustomersError, InvalidToken
from .forms import (
    AddressForm,
    ApiKeyForm,
    InvoiceDetailsForm,
    ProfileForm,
    QueuedPasswordResetForm,
    RegistrationForm,
    ThrottledLoginForm,
    TopUpForm,
)
from .models import ApiKey

LEDGER_PAGE_SIZE = 25


def _render(request, template, context=None, status=200):
    context = {"noindex": True, **(context or {})}
    if request.user.is_authenticated:
        context.setdefault("profile", services.profile_get(user=request.user))
    return render(request, template, context, status=status)


# --- signing up and in ----------------------------------------------------------------------


def _next_url(request) -> str:
    """Where to go after signing up (e.g. back to the checkout), when it is on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def register(request):
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or "customers:overview")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.customer_sign_up(
                email=data["email"],
                password=data["password1"],
                customer_type=data["customer_type"],
                company_name=data["company_name"],
                phone=data["phone"],
            )
        except (CustomersError, ValidationError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            request.session["customers:signed-up-email"] = data["email"]
            request.session["customers:signed-up-next"] = next_url or ""
            return redirect("customers:register-done")
    return _render(request, "customers/register.html", {"form": form, "next": next_url})


def register_done(request):
    """Said alike for a new and an existing address: sign-up tells nobody who is a customer."""
    email = request.session.get("customers:signed-up-email", "")
    next_url = request.session.get("customers:signed-up-next", "")
    return _render(request, "customers/register_done.html", {"email": email, "next": next_url})


class LoginView(auth_views.LoginView):
    template_name = "customers/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True
    extra_context = {"noindex": True}


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (Django's LogoutView refuses GET)."""


def verify_email(request, token):
    try:
        services.email_verify(token=token)
    except InvalidToken as error:
        return _render(request, "customers/verify_email_failed.html", {"error": str(error)}, 400)
    messages.success(request, _("Thank you, your email address is confirmed."))
    return redirect("customers:overview" if request.user.is_authenticated else "customers:login")


@login_required
@require_POST
def resend_verification(request):
    if not services.profile_get(user=request.user).email_verified:
        services.email_verification_send(user=request.user)
        messages.success(
            request,
            _("We sent a new confirmation link to %(email)s.") % {"email": request.user.email},
        )
    return redirect("customers:overview")


_reset_kwargs = {"extra_context": {"noindex": True}}
password_reset = auth_views.PasswordResetView.as_view(
    form_class=QueuedPasswordResetForm,
    template_name="customers/password_reset_form.html",
    email_template_name="customers/password_reset_email.txt",
    subject_template_name="customers/password_reset_subject.txt",
    success_url=reverse_lazy("customers:password-reset-done"),
    **_reset_kwargs,
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="customers/password_reset_done.html", **_reset_kwargs
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="customers/password_reset_confirm.html",
    success_url=reverse_lazy("customers:password-reset-complete"),
    **_reset_kwargs,
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="customers/password_reset_complete.html", **_reset_kwargs
)


# --- the account area -----------------------------------------------------------------------


@login_required
def overview(request):
    context = {
        **selectors.account_overview(user=request.user),
        "overview_panels": settings.CUSTOMERS_OVERVIEW_PANELS,
    }
    return _render(request, "customers/overview.html", context)


@login_required
def profile(request):
    profile = services.profile_get(user=request.user)
    initial = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "customer_type": profile.customer_type,
        "company_name": profile.company_name,
        "phone": profile.phone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("customers:profile")
    return _render(request, "customers/profile.html", {"form": form, "section": "profile"})


@login_required
def address_list(request):
    return _render(
        request,
        "customers/address_list.html",
        {"addresses": selectors.addresses(user=request.user), "section": "addresses"},
    )


@login_required
def address_create(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.address_create(user=request.user, **data)
        messages.success(request, _("Address added."))
        return redirect("customers:addresses")
    return _render(
        request,
        "customers/address_form.html",
        {"form": form, "section": "addresses", "title": _("New address")},
    )


@login_required
def address_edit(request, pk):
    address = selectors.address_of(user=request.user, address_id=pk)
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        data.pop("is_default", None)
        services.address_update(
            user=request.user,
            address_id=address.pk,
            is_default=form.cleaned_data["is_default"] or None,
            **data,
        )
        messages.success(request, _("Address saved."))
        return redirect("customers:addresses")
    return _render(
        request,
        "customers/address_form.html",
        {"form": form, "section": "addresses", "title": _("Edit address"), "address": address},
    )


@login_required
@require_POST
def address_delete(request, pk):
    address = selectors.address_of(user=request.user, address_id=pk)
    services.address_delete(user=request.user, address_id=address.pk)
    messages.success(request, _("Address deleted."))
    return redirect("customers:addresses")


@login_required
@require_POST
def address_make_default(request, pk):
    address = selectors.address_of(user=request.user, address_id=pk)
    services.address_set_default(user=request.user, address_id=address.pk)
    messages.success(request, _("Default address changed."))
    return redirect("customers:addresses")


@login_required
def invoice_details(request):
    instance = selectors.invoice_details_of(user=request.user)
    form = InvoiceDetailsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.invoice_details_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Invoice details saved."))
        return redirect("customers:invoice-details")
    return _render(request, "customers/invoice_details.html", {"form": form, "section": "invoice"})


@login_required
def balance(request):
    page = Paginator(selectors.balance_entries(user=request.user), LEDGER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "customers/balance.html",
        {
            "page": page,
            "top_ups": selectors.top_ups(user=request.user)[:10],
            "section": "balance",
        },
    )


@login_required
def top_up_create(request):
    form = TopUpForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            top_up = services.top_up_create(
                user=request.user,
                amount=form.cleaned_data["amount"],
                idempotency_key=form.cleaned_data["idempotency_key"] or None,
            )
        except CustomersError as error:
            form.add_error("amount", str(error))
        else:
            return redirect("customers:top-up-detail", reference=top_up.reference)
    return _render(
        request,
        "customers/top_up_form.html",
        {"form": form, "tiers": selectors.bonus_tiers(), "section": "balance"},
        status=400 if form.errors else 200,
    )


@login_required
def top_up_detail(request, reference):
    return _render(
        request,
        "customers/top_up_detail.html",
        {
            "top_up": selectors.top_up_of(user=request.user, reference=reference),
            "bank": settings.SHOP_BANK_DETAILS,
            "section": "balance",
        },
    )


@login_required
def points(request):
    page = Paginator(selectors.points_entries(user=request.user), LEDGER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    expiring = selectors.points_expiry_schedule(user_id=request.user.pk)
    return _render(
        request,
        "customers/points.html",
        {"page": page, "section": "points", "expiring": expiring},
    )


# --- API keys -------------------------------------------------------------------------------


@login_required
def api_keys(request):
    """The customer's API keys; a new key is shown on this answer only, never again."""
    form = ApiKeyForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                key, new_key = services.api_key_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(),
                )
            except CustomersError as error:
                form.add_error(None, str(error))
            else:
                form = ApiKeyForm()
        if form.errors:
            status = 400
    return _render(
        request,
        "customers/api_keys.html",
        {
            "form": form,
            "new_key": new_key,
            "keys": selectors.api_keys(user=request.user),
            "section": "api-keys",
        },
        status=status,
    )


@login_required
@require_POST
def api_key_revoke(request, pk):
    try:
        key = services.api_key_revoke(user=request.user, key_id=pk)
    except ApiKey.DoesNotExist:
        raise Http404("No such API key.") from None
    messages.success(
        request,
        _("Key %(name)s (%(prefix)s…) revoked.") % {"name": key.name, "prefix": key.display_prefix},
    )
    return redirect("customers:api-keys")
