"""Accounts in the admin: shown, never changed there.

Roles change on the roles page (``accounts.roles``), verification in the verification queue,
profiles by their owners; superusers are made on the command line (``createsuperuser``).
Every field of an account is a key: its email receives password resets, its country and
groups give download rights, its flags give roles. So the admin changes none of them.

The same holds for what other apps register: two-factor devices (django-otp) are replaced on
the profile page and reset by the secretariat's two-factor reset, both audited, so the admin
only lists them, without their secrets. The sign-in lockout records of django-axes are
bookkeeping the sign-in writes; deleting one unlocks an account, so that deletion is audited,
and the access logs, which are the record of who signed in, are never deleted here. Groups
are changed by superusers only, and audited.
"""

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.admin import AuditedAdminMixin, ReadOnlyAdminMixin
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


class SuperuserGroupAdmin(AuditedAdminMixin, GroupAdmin):
    """Groups: only superusers change them. A group's permissions are admin rights, so
    the secretariat, who may view them, must not be able to widen its own."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class DeviceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A second-factor device, listed without its secret (no key, no QR code, no tokens)."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email")
    fields = list_display


class AuditedAccessAttemptAdmin(AuditedAdminMixin, AccessAttemptAdmin):
    """Lockout counters: deleting one unlocks a username at an address, so it is audited."""


class ReadOnlyAccessLogAdmin(ReadOnlyAdminMixin, AccessLogAdmin):
    """Who signed in, from where: a record, never deleted in the admin."""


class ReadOnlyAccessFailureLogAdmin(ReadOnlyAdminMixin, AccessFailureLogAdmin):
    """Failed sign-ins: a record, never deleted in the admin."""


def _password_change(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """Send the admin's "change password" to the portal's page, which audits the change and
    revokes the account's API tokens; Django's admin form would do neither."""
    return redirect("accounts:password_change")


# Read by AdminSite.get_urls when the admin's URLs are built, after this module is imported.
admin.site.password_change = _password_change  # type: ignore[method-assign,assignment]
admin.site.unregister(Group)
admin.site.register(Group, SuperuserGroupAdmin)
for _model, _admin in [
    (TOTPDevice, DeviceAdmin),
    (StaticDevice, DeviceAdmin),
    (AccessAttempt, AuditedAccessAttemptAdmin),
    (AccessLog, ReadOnlyAccessLogAdmin),
    (AccessFailureLog, ReadOnlyAccessFailureLogAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
