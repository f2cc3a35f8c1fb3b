"""Help pages (footer): staff write each in English and Chinese."""

from django.contrib import admin
from django.utils.html import format_html

from .models import InfoPage


@admin.register(InfoPage)
class InfoPageAdmin(admin.ModelAdmin):
    list_display = ("title", "title_zh", "slug", "position", "is_published", "updated_at", "links")
    list_editable = ("position", "is_published")
    search_fields = ("title", "title_zh", "slug", "body", "body_zh")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("slug", "position", "is_published", "updated_at")}),
        ("English", {"fields": ("title", "summary", "body")}),
        ("Chinese", {"fields": ("title_zh", "summary_zh", "body_zh")}),
    )

    @admin.display(description="View")
    def links(self, page: InfoPage) -> str:
        url = page.get_absolute_url()
        return format_html(
            '<a href="{}" target="_blank">English</a> · '
            '<a href="/zh-hans{}" target="_blank">中文</a>',
            url,
            url,
        )
