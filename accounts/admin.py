"""Accounts in the admin: shown, never changed there.

Roles change on the roles page (``accounts.roles``), verification in the verification queue,
profiles by their owners; superusers are made on the command line (``createsuperuser``).
Every field of an account is a key: its email receives password resets, its country and
groups give download rights, its flags give roles. So the admin changes none of them.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from access.admin import ReadOnlyAdminMixin
from accounts.models import FocalPoint, User


class FocalPointInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FocalPoint
    extra = 0


@admin.register(User)
class AccountAdmin(ReadOnlyAdminMixin, UserAdmin):
    list_display = ("username", "email", "country", "organisation", "status", "is_secretariat")
    list_filter = ("status", "country", "is_secretariat", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name", "organisation")
    inlines = [FocalPointInline]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]  # UserAdmin sets it; the stubs say Optional
        (
            _("Affiliation and role"),
            {
                "fields": (
                    "country",
                    "organisation",
                    "status",
                    "verified_by",
                    "verified_at",
                    "is_secretariat",
                    "preferred_language",
                )
            },
        ),
    )
    readonly_fields = ("verified_by", "verified_at")


@admin.register(FocalPoint)
class FocalPointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "country", "appointed_at")
    list_filter = ("country",)


class SuperuserGroupAdmin(GroupAdmin):
    """Groups: only superusers change them. A group's permissions are admin rights, so
    the secretariat, who may view them, must not be able to widen its own."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


admin.site.unregister(Group)
admin.site.register(Group, SuperuserGroupAdmin)
