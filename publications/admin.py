"""The library and events in the admin: shown, never changed there.

Publications are reviewed, edited and featured on their pages, events and their sessions,
participants and materials curated on theirs: each through a service that checks who acts
and writes an audit row. The admin would do none of that, so it only reads.
"""

from django.contrib import admin

from access.admin import ReadOnlyAdminMixin
from publications.models import (
    Author,
    Event,
    Material,
    ParticipantCount,
    Publication,
    PublicationFile,
    Session,
)


class AuthorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Author
    extra = 1


class PublicationFileInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PublicationFile
    extra = 0
    raw_id_fields = ("data_file",)


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "type", "year", "language", "visibility", "status", "featured")
    list_filter = ("type", "status", "visibility", "language", "featured")
    search_fields = ("title", "title_en", "doi")
    filter_horizontal = ("species", "sites", "countries", "targets", "themes")
    inlines = [AuthorInline, PublicationFileInline]
    raw_id_fields = ("uploader", "reviewed_by")


class SessionInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Session
    extra = 0


class ParticipantCountInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ParticipantCount
    extra = 0


class MaterialInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Material
    extra = 0
    raw_id_fields = ("publication",)


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "type", "start_date", "city", "featured")
    list_filter = ("type", "featured")
    search_fields = ("title", "city", "venue")
    filter_horizontal = ("species", "sites", "countries", "targets", "themes")
    inlines = [SessionInline, ParticipantCountInline, MaterialInline]
    raw_id_fields = ("created_by",)
