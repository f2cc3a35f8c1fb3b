"""Forms of the return pages: they parse input; the rules are in services."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ReturnKind, ReturnReason
from .services import MAX_DESCRIPTION, MAX_MESSAGE


def _photo_help() -> str:
    """In the language of the page that shows the form, not of the first import."""
    return gettext("Up to %(n)s JPEG, PNG or WebP photos of at most %(mb)s MB each.") % {
        "n": settings.RETURNS_MAX_PHOTOS,
        "mb": settings.RETURNS_MAX_PHOTO_BYTES // (1024 * 1024),
    }


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Any number of files; each is checked by the service (Pillow), not by the form."""

    widget = MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files]


class ReturnOpenForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want"),
        choices=ReturnKind.choices,
        initial=ReturnKind.RETURN,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)
    quantity = forms.IntegerField(label=_("Pieces"), min_value=1)
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=lazy(_photo_help, str)(),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class ReturnMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
