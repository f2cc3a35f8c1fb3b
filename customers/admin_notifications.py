"""Admin of what customers are told: every notification with its email's fate (sent, failed,
attempts, last error) and a resend action; operations' own wording of each kind, checked on
save and previewed with sample data. Loaded by customers/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils.html import format_html

from .models import Notification, NotificationTemplate
from .notification_templates import file_sources, render_sources, sample_context, template_errors
from .notifications import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "customer",
        "subject",
        "email_status",
        "email_attempts",
        "email_sent_at",
        "read_at",
    ]
    list_filter = ["email_status", "kind", "created_at"]
    search_fields = ["customer__email", "subject", "dedup_key"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "customer",
        "kind",
        "dedup_key",
        "subject",
        "link",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "email_sent_at",
        "email_last_error",
        "body_text",
        "html_preview",
    ]
    exclude = ["body_html"]
    actions = ["resend_email", "force_resend_email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="HTML email")
    def html_preview(self, obj):
        if not obj.body_html:
            return "—"
        return format_html(
            '<iframe sandbox="" srcdoc="{}" style="width:100%;max-width:680px;height:420px;'
            'border:1px solid #ccc"></iframe>',
            obj.body_html,
        )

    @admin.action(
        description="Resend the email of failed or pending messages", permissions=["resend"]
    )
    def resend_email(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        queued = notification_resend(notification_ids=ids)
        skipped = len(ids) - queued
        self.message_user(request, f"{queued} email(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} message(s) left alone: already sent or without an email address "
                "(use “Send again even if sent” to send a sent one again).",
                messages.WARNING,
            )

    @admin.action(
        description="Send again even if sent (the customer gets the email twice)",
        permissions=["resend"],
    )
    def force_resend_email(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        queued = notification_resend(notification_ids=ids, force=True)
        self.message_user(request, f"{queued} email(s) queued again.", messages.SUCCESS)

    def has_resend_permission(self, request):
        """Messages are never edited by hand, but staff who may change them may resend."""
        return request.user.has_perm("customers.change_notification")


class NotificationTemplateForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = ["kind", "language", "subject", "body_text", "body_html"]
        widgets = {
            "subject": forms.TextInput(attrs={"size": 90}),
            "body_text": forms.Textarea(attrs={"rows": 18, "cols": 90}),
            "body_html": forms.Textarea(attrs={"rows": 14, "cols": 90}),
        }

    def clean(self):
        cleaned = super().clean()
        sources = {
            "subject": cleaned.get("subject") or "",
            "body_text": cleaned.get("body_text") or "",
            "body_html": cleaned.get("body_html") or "",
        }
        errors = template_errors(**sources)
        for field, message in errors.items():
            self.add_error(field, f"This template does not compile: {message}")
        if not errors and cleaned.get("kind"):
            try:
                render_sources(**sources, context=sample_context(cleaned["kind"]))
            except (TemplateSyntaxError, TemplateDoesNotExist) as error:
                raise forms.ValidationError(
                    f"This template cannot be rendered: {type(error).__name__}: {error}"
                ) from error
        return cleaned


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ["kind", "language", "subject", "updated_at", "updated_by"]
    list_filter = ["kind", "language"]
    list_select_related = ["updated_by"]
    readonly_fields = ["preview", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["kind", "language", "subject", "body_text", "body_html"]}),
        (
            "Preview with sample data",
            {
                "fields": ["preview", "updated_at", "updated_by"],
                "description": "Saved wording rendered with made-up values. Variables: "
                "see the file templates under templates/notifications/<kind>/ "
                "(order, lines, bank, due, outstanding, link_url, shop_name …).",
            },
        ),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind")
        if kind:
            initial = {**file_sources(kind), **initial}
        return initial

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Preview")
    def preview(self, obj):
        if obj is None or not obj.pk:
            return "Save to see the preview."
        try:
            subject, text, html = render_sources(
                subject=obj.subject,
                body_text=obj.body_text,
                body_html=obj.body_html,
                context=sample_context(obj.kind),
            )
        except (TemplateSyntaxError, TemplateDoesNotExist) as error:
            return f"This template cannot be rendered: {error}"
        return format_html(
            '<p><strong>{}</strong></p><pre style="white-space:pre-wrap">{}</pre>'
            '<iframe sandbox="" srcdoc="{}" style="width:100%;max-width:680px;height:420px;'
            'border:1px solid #ccc"></iframe>',
            subject,
            text,
            html,
        )
