"""Reference data and vocabularies in the admin, where the secretariat curates them.

Each change made here writes an audit row (``AuditedAdminMixin``).
"""

from django.contrib import admin

from access.admin import AuditedAdminMixin
from species.models import Country, KmgbfTarget, Site, Species, Theme

NAME_FIELDS = ("name_en", "name_zh", "name_ja", "name_ko", "name_mn", "name_ru")


@admin.register(Country)
class CountryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "is_member_state")
    search_fields = ("code", *NAME_FIELDS)


@admin.register(Species)
class SpeciesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "scientific_name", "group", "iucn_category", "sensitivity")
    list_filter = ("group", "iucn_category", "sensitivity", "is_flagship")
    search_fields = ("code", "scientific_name", "synonyms", *NAME_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        # The public form of stored records follows the category: it changes only with
        # `manage.py set_species_sensitivity`, which decides every record again.
        return ("sensitivity",) if obj is not None else ()


@admin.register(Site)
class SiteAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "latitude", "longitude")
    list_filter = ("countries",)
    search_fields = ("code", *NAME_FIELDS)
    filter_horizontal = ("countries", "species")


@admin.register(KmgbfTarget)
class KmgbfTargetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "title_en")
    search_fields = ("title_en", "title_zh", "title_ja", "title_ko", "title_mn", "title_ru")


@admin.register(Theme)
class ThemeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en")
    search_fields = ("code", *NAME_FIELDS)
