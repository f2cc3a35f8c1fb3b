"""Validators of customers' data that the forms, the API and the services share."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError

TAXPAYER_ID_MESSAGE = gettext_lazy(
    "Enter a valid taxpayer ID: an 18-character unified social credit code "
    "(e.g. 91110000600037341L) or an EU VAT number with its country prefix (e.g. DE136695976)."
)


def normalize_taxpayer_id(value: str) -> str:
    """The taxpayer ID in its compact form; raises ValidationError when it is not valid."""
    value = (value or "").strip()
    for module in (uscc, vat):
        try:
            return module.validate(value)
        except StdnumError:
            continue
    raise ValidationError(TAXPAYER_ID_MESSAGE, code="invalid_taxpayer_id")


def validate_taxpayer_id(value: str) -> None:
    normalize_taxpayer_id(value)


def normalize_country_code(value: str) -> str:
    """ISO 3166 alpha-2 code in upper case: 'cn' -> 'CN'."""
    code = (value or "").strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValidationError(_("Enter the two-letter country code, e.g. CN or DE."))
    return code


# ISO 3166-1 alpha-2: the regions the phone-number plan knows, less its three codes that are
# not countries of ISO 3166 (Ascension, Tristan da Cunha, Kosovo), plus the territories that
# have no telephone plan of their own.
_NOT_ISO_3166 = {"AC", "TA", "XK"}
_WITHOUT_PHONE_PLAN = {"AQ", "BV", "GS", "HM", "PN", "TF", "UM"}
ISO_3166_COUNTRIES = frozenset(
    (phonenumbers.SUPPORTED_REGIONS - _NOT_ISO_3166) | _WITHOUT_PHONE_PLAN
)
PHONE_MESSAGE = gettext_lazy(
    "Enter a phone number we can call, with its country code for numbers outside {country}, "
    "e.g. +86 138 0013 8000 or 0755 8888 6666."
)
CONTROL_CHARACTERS_MESSAGE = gettext_lazy("Remove the control characters from this text.")


def validate_country_code(value: str) -> str:
    """An ISO 3166 alpha-2 code in upper case; raises ValidationError for any other."""
    code = normalize_country_code(value)
    if code not in ISO_3166_COUNTRIES:
        raise ValidationError(
            _("%(code)s is not an ISO 3166 country code; use e.g. CN, HK, DE or US.")
            % {"code": code},
            code="unknown_country",
        )
    return code


def normalize_phone(value: str, *, country: str = "CN") -> str:
    """A valid phone number in international format (``+86 138 0013 8000``); a number without
    ``+`` is read as one of ``country``."""
    region = country if country in phonenumbers.SUPPORTED_REGIONS else None
    try:
        number = phonenumbers.parse((value or "").strip(), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            str(PHONE_MESSAGE).format(country=country or _("China")), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def has_control_characters(text: str) -> bool:
    """Tabs and line breaks aside, no one types control characters into a form."""
    return any((ord(ch) < 32 and ch not in "\n\r\t") or 127 <= ord(ch) < 160 for ch in text)


def validate_no_control_characters(value: str) -> None:
    if has_control_characters(value or ""):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")
