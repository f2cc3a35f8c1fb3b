"""Forms of the account pages: parse and validate input; the views call the services."""

from datetime import datetime, time
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import throttle
from .models import Address, ApiKeyScope, CustomerType, InvoiceDetails, User
from .tasks import enqueue_customer_email
from .validators import (
    CONTROL_CHARACTERS_MESSAGE,
    has_control_characters,
    normalize_phone,
    normalize_taxpayer_id,
    validate_country_code,
)


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={"invalid": _("Enter a valid email address, e.g. name@company.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    customer_type = forms.ChoiceField(
        label=_("I am"), choices=CustomerType.choices, initial=CustomerType.ENGINEER
    )
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def clean_email(self):
        # Whether the address has an account is not said here: see customer_sign_up.
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords don't match."))
        elif p1:
            try:
                password_validation.validate_password(p1, User(email=cleaned.get("email", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ThrottledLoginForm(AuthenticationForm):
    """Django's sign-in form, refusing further attempts after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email and password don't match an account. Check both and try again."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")

    def clean(self):
        attempt = throttle.attempt_begin(
            email=self.data.get("username", ""), ip=throttle.client_ip(self.request)
        )
        if not attempt.allowed:
            raise forms.ValidationError(throttle.lockout_message(attempt.wait), code="throttled")
        cleaned = super().clean()  # a wrong password raises; its attempt stays counted
        throttle.attempt_succeeded(attempt)
        return cleaned


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    customer_type = forms.ChoiceField(label=_("I am"), choices=CustomerType.choices)
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = [
            "label",
            "recipient",
            "company",
            "phone",
            "line1",
            "line2",
            "city",
            "region",
            "postal_code",
            "country",
            "is_default",
        ]
        labels = {
            "label": _("Label"),
            "recipient": _("Recipient"),
            "company": _("Company"),
            "phone": _("Phone"),
            "line1": _("Address line 1"),
            "line2": _("Address line 2"),
            "city": _("City"),
            "region": _("Province / region"),
            "postal_code": _("Postal code"),
            "country": _("Country"),
            "is_default": _("Use as my default shipping address"),
        }
        help_texts = {
            "label": _("e.g. Lab, Warehouse"),
            "country": _("ISO 3166 code, e.g. CN"),
        }

    def clean_country(self):
        return validate_country_code(self.cleaned_data["country"])

    def clean(self):
        """Free text without control characters; the phone a valid number, read in the
        address's country when it has no ``+`` prefix."""
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and has_control_characters(value):
                self.add_error(name, CONTROL_CHARACTERS_MESSAGE)
        phone = cleaned.get("phone")
        if phone and "phone" not in self.errors:
            try:
                cleaned["phone"] = normalize_phone(phone, country=cleaned.get("country") or "CN")
            except forms.ValidationError as error:
                self.add_error("phone", error)
        return cleaned


class InvoiceDetailsForm(forms.ModelForm):
    class Meta:
        model = InvoiceDetails
        fields = [
            "company_title",
            "taxpayer_id",
            "registered_address",
            "registered_phone",
            "bank_name",
            "bank_account",
        ]
        labels = {
            "company_title": _("Company title"),
            "taxpayer_id": _("Taxpayer ID"),
            "registered_address": _("Registered address"),
            "registered_phone": _("Registered phone"),
            "bank_name": _("Bank"),
            "bank_account": _("Bank account"),
        }
        help_texts = {
            "taxpayer_id": _("Unified social credit code (18 characters) or an EU VAT number"),
        }

    def clean_taxpayer_id(self):
        return normalize_taxpayer_id(self.cleaned_data["taxpayer_id"])


TOP_UP_TOO_LARGE = format_lazy(
    _("A single top-up is at most {max} {currency}; for more, contact us."),
    max=f"{settings.CUSTOMERS_TOP_UP_MAX:,}",
    currency=settings.SHOP_CURRENCY,
)


class TopUpForm(forms.Form):
    amount = forms.DecimalField(
        label=format_lazy(_("Amount ({currency})"), currency=settings.SHOP_CURRENCY),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=settings.CUSTOMERS_TOP_UP_MAX,
        error_messages={
            "invalid": _("Enter the amount as a number, e.g. 500 or 1250.50."),
            "min_value": _("The amount must be greater than zero."),
            "max_value": TOP_UP_TOO_LARGE,
            "max_decimal_places": _("Use at most 2 decimal places (cents)."),
            "max_digits": TOP_UP_TOO_LARGE,
            "max_whole_digits": TOP_UP_TOO_LARGE,
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent by a Celery task after the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context.get("user")
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        enqueue_customer_email(to=to_email, subject=subject, body=body)


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the key is for, e.g. ERP sync or BOM tool."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiKeyScope.choices,
        initial=ApiKeyScope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "Read only: catalog, prices, stock and your account. "
            "Read and order: may also place orders."
        ),
    )
    expires_on = forms.DateField(
        required=False,
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional; the key stops working at the start of that day."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the key a name."))
        return name

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day

    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.min))
