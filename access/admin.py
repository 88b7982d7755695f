"""The audit trail in the admin, and what every other admin builds on: read-only models, and
an audit row for each change the admin still makes."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from access.models import AuditEvent
from access.services import audit_record, client_ip


class ReadOnlyAdminMixin:
    """Show rows in the admin without letting anyone add, change or delete them there.

    For models whose writes must go through a service that checks and audits them (roles,
    account status, review decisions): their pages are where they change.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdminMixin:
    """Write an audit row for each addition, change and deletion made in the admin.

    Django's own admin log is kept too; the audit trail is the one the portal shows.
    """

    def _audit(self, request: HttpRequest, action: str, obj: Any, message: Any = None) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]  # the admin is for signed-in staff
            action=action,
            obj=obj,
            ip_address=client_ip(request),
            detail={"via": "admin", "change": message or []},
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, "admin.add", obj, message)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, "admin.change", obj, message)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, "admin.delete", obj)
        return super().log_deletions(request, queryset)  # type: ignore[misc]


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
