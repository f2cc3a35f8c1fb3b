"""Search log in the admin: the top zero-result queries are parts customers want that the
store lacks."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Count, Max
from django.utils import timezone

from .models import SearchLog

REPORT_DAYS = 30


def top_zero_result_queries(*, days: int = REPORT_DAYS, limit: int = 50) -> list[dict]:
    since = timezone.now() - timedelta(days=days)
    return list(
        SearchLog.objects.filter(result_count=0, created_at__gte=since)
        .values("normalized")
        .annotate(searches=Count("id"), last=Max("created_at"), example=Max("query"))
        .order_by("-searches", "-last")[:limit]
    )


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ("query", "kind", "result_count", "created_at")
    list_filter = ("kind", "created_at")
    search_fields = ("normalized", "query")
    date_hierarchy = "created_at"
    show_full_result_count = False
    change_list_template = "admin/catalog/searchlog/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "zero_result_queries": top_zero_result_queries(),
            "report_days": REPORT_DAYS,
        }
        return super().changelist_view(request, extra_context)
