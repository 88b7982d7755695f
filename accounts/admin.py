from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import FocalPoint, User


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0


@admin.register(User)
class AccountAdmin(UserAdmin):
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
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ("user", "country", "appointed_at")
    list_filter = ("country",)
