"""Admin for catalog imports: upload a CSV, watch it run as a Celery job, download the rejects.

The upload form checks the header before anything is saved, so a wrong file is turned away
with a form error; the import itself runs in ``catalog.tasks.run_catalog_import``, enqueued
once the upload is committed.
"""

import logging

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from .imports import ImportFileError, check_header, read_header
from .models import CatalogImport, ImportKind, ImportStatus
from .tasks import run_catalog_import

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 * 1024**3


class CatalogImportForm(forms.ModelForm):
    class Meta:
        model = CatalogImport
        fields = ["kind", "file"]
        help_texts = {
            "file": "UTF-8 CSV with a header row, as described in the catalog import format.",
        }

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        kind = cleaned.get("kind") or ImportKind.CATALOG
        if upload is None:
            return cleaned
        if not upload.name.lower().endswith(".csv"):
            self.add_error("file", "Upload a .csv file (spreadsheets: save as CSV UTF-8).")
            return cleaned
        if upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", "The file is larger than 2 GB; split it.")
            return cleaned
        try:
            upload.seek(0)
            check_header(read_header(upload), kind=kind)
        except ImportFileError as exc:
            self.add_error("file", str(exc))
        finally:
            upload.seek(0)
        return cleaned


@admin.register(CatalogImport)
class CatalogImportAdmin(admin.ModelAdmin):
    form = CatalogImportForm
    list_display = [
        "__str__",
        "kind",
        "status",
        "progress",
        "rows_created",
        "rows_updated",
        "rows_rejected",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "status",
        "progress",
        "rows_total",
        "rows_processed",
        "rows_created",
        "rows_updated",
        "rows_rejected",
        "uploaded_file",
        "report_link",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    # --- add: the upload form; change: a read-only view of the run ---

    def get_fields(self, request, obj=None):
        return ["kind", "file"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # An unreachable broker must not turn a saved upload into an error page.
        run_catalog_import.delay_on_commit(catalog_import_id=obj.pk)

    def response_post_save_add(self, request, obj):
        """After the upload, show the run itself: its progress and, later, its report."""
        return HttpResponseRedirect(reverse("admin:catalog_catalogimport_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        running = obj is not None and obj.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
        context["refresh_seconds"] = 3 if running else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- columns ---

    @admin.display(description="progress")
    def progress(self, obj: CatalogImport) -> str:
        if obj.status == ImportStatus.DONE:
            return "100%"
        if not obj.rows_total:
            return "—" if obj.status == ImportStatus.PENDING else f"{obj.rows_processed} rows"
        return f"{min(100, obj.rows_processed * 100 // obj.rows_total)}%"

    @admin.display(description="file")
    def uploaded_file(self, obj: CatalogImport) -> str:
        return obj.file.name

    @admin.display(description="rejected rows")
    def report_link(self, obj: CatalogImport) -> str:
        if not obj.report:
            return "—"
        url = reverse("admin:catalog_catalogimport_report", args=[obj.pk])
        return format_html('<a href="{}">Download the report of rejected rows (CSV)</a>', url)

    # --- report download, through the admin so it needs staff access ---

    def get_urls(self):
        report = path(
            "<int:pk>/report/",
            self.admin_site.admin_view(self.report_view),
            name="catalog_catalogimport_report",
        )
        return [report, *super().get_urls()]

    def report_view(self, request, pk: int):
        job = get_object_or_404(CatalogImport, pk=pk)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        if not job.report:
            raise Http404("This import rejected no rows.")
        return FileResponse(
            job.report.open("rb"),
            as_attachment=True,
            filename=f"catalog-import-{job.pk}-rejects.csv",
            content_type="text/csv",
        )
