from django.contrib import admin

from publications.models import (
    Author,
    Event,
    Material,
    ParticipantCount,
    Publication,
    PublicationFile,
    Session,
)


class AuthorInline(admin.TabularInline):
    model = Author
    extra = 1


class PublicationFileInline(admin.TabularInline):
    model = PublicationFile
    extra = 0
    raw_id_fields = ("data_file",)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "year", "language", "visibility", "status", "featured")
    list_filter = ("type", "status", "visibility", "language", "featured")
    search_fields = ("title", "title_en", "doi")
    filter_horizontal = ("species", "sites", "countries", "targets", "themes")
    inlines = [AuthorInline, PublicationFileInline]
    raw_id_fields = ("uploader", "reviewed_by")


class SessionInline(admin.StackedInline):
    model = Session
    extra = 0


class ParticipantCountInline(admin.TabularInline):
    model = ParticipantCount
    extra = 0


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    raw_id_fields = ("publication",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "start_date", "city", "featured")
    list_filter = ("type", "featured")
    search_fields = ("title", "city", "venue")
    filter_horizontal = ("species", "sites", "countries")
    inlines = [SessionInline, ParticipantCountInline, MaterialInline]
    raw_id_fields = ("created_by",)
