"""Forms of the BOM pages: parse and show input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..rfq.forms import InquiryForm
from . import reader

UPLOAD_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


class BomUploadForm(forms.Form):
    file = forms.FileField(
        label=_("BOM file"),
        required=False,
        allow_empty_file=True,  # the reader says "The file is empty."
        help_text=_(
            "CSV, TSV, TXT or XLSX, at most 5 MB and 5,000 lines: KiCad, Altium, "
            "EasyEDA/JLCPCB, Mouser and DigiKey exports are read as they are."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_EXTENSIONS)}),
    )
    paste = forms.CharField(
        label=_("…or paste cells from a spreadsheet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Copy the rows with their header row from Excel and paste them here."),
    )
    name = forms.CharField(label=_("BOM name"), max_length=200, required=False)
    build_quantity = forms.CharField(
        label=_("Boards to build"),
        initial="1",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    attrition = forms.CharField(
        label=_("Attrition %"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
        help_text=_("Extra pieces for loss at assembly, e.g. 5 for small passives."),
    )

    def clean(self):
        data = super().clean()
        upload, paste = data.get("file"), (data.get("paste") or "").strip()
        if upload and paste:
            raise forms.ValidationError(_("Upload a file or paste cells, not both."))
        if not upload and not paste:
            raise forms.ValidationError(_("Choose a BOM file or paste its cells."))
        if upload and upload.size > reader.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; upload at most 5 MB.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}"}
            )
        return data


class BomColumnsForm(forms.Form):
    """One select per BOM field, offering the file's columns."""

    def __init__(self, *args, headers, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [
            (
                str(index),
                header or _("Column %(letter)s") % {"letter": reader.column_letter(index)},
            )
            for index, header in enumerate(headers)
        ]
        for name in reader.FIELDS:
            index = mapping.get(name)
            self.fields[name] = forms.ChoiceField(
                label=reader.FIELD_LABELS[name],
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"translate": "no"}),
                initial="" if index is None else str(index),
            )

    def mapping(self) -> dict[str, int]:
        return {
            name: int(value)
            for name, value in self.cleaned_data.items()
            if name in reader.FIELDS and value != ""
        }


class BomSettingsForm(forms.Form):
    build_quantity = forms.CharField(
        label=_("Boards"), widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 7})
    )
    attrition = forms.CharField(
        label=_("Attrition %"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )
    merge_same_parts = forms.BooleanField(label=_("Merge lines of the same part"), required=False)


class BomQuoteForm(InquiryForm):
    """Who the quote for the BOM's unmatched lines goes to."""
