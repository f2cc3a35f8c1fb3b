"""The reports' entry in the admin index: its list opens the report pages."""

from django.contrib import admin
from django.shortcuts import redirect

from .models import TrafficDaily


@admin.register(TrafficDaily)
class ReportsEntryAdmin(admin.ModelAdmin):
    def changelist_view(self, request, extra_context=None):
        return redirect("reports:index")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff
