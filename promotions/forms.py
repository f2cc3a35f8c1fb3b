import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_SEPARATORS = re.compile(r"[\s,;]+")


class IssueToCustomersForm(forms.Form):
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12, "cols": 60}),
        help_text="Customer emails, one per line or separated by commas.",
    )

    def clean_emails(self) -> list[str]:
        emails = [e.lower() for e in _SEPARATORS.split(self.cleaned_data["emails"]) if e]
        invalid = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                invalid.append(email)
        if invalid:
            raise ValidationError("Not email addresses: " + ", ".join(invalid))
        if not emails:
            raise ValidationError("Give at least one email.")
        return list(dict.fromkeys(emails))
