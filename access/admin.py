from django.contrib import admin

from access.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is only ever added to."""

    list_display = ("at", "actor", "action", "object_type", "object_repr", "country", "ip_address")
    list_filter = ("action", "object_type", "country")
    search_fields = ("object_repr", "actor__username")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
