"""Validators of customers' data that the forms, the API and the services share."""

from django.core.exceptions import ValidationError
from stdnum.cn import uscc
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError

TAXPAYER_ID_MESSAGE = (
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
        raise ValidationError("Enter the two-letter country code, e.g. CN or DE.")
    return code
