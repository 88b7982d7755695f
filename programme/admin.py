"""Programme targets in the admin, where the secretariat sets them; every change is audited."""

from django.contrib import admin

from access.admin import AuditedAdminMixin
from programme.models import ProgrammeTarget


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("measure", "value", "start_year", "end_year", "source")
    list_filter = ("measure",)
