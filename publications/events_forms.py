"""Forms of the secretariat's event pages: they parse what was typed, nothing more.

The rules (dates in order, a speaker for each presentation, a link for each recording,
counts that add up, ...) live in ``publications.events_services`` and ``Event.clean``;
the views call the services with ``values()`` and show a refusal beside the field it names
with ``show_refusal``. The API calls the same services, so page and API cannot disagree.
Only bounds that protect the database (how many codes a list may hold) are also checked
here, before any query, with the services' own limits and wording.
"""

import zoneinfo
from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.fields import BaseTemporalField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from neaspec_portal.refusals import refusal_text
from publications.events_services import MAX_COUNT, MAX_SPEAKERS, MAX_TAGS, MAX_TEXT
from publications.forms import (
    LANGUAGE_CHOICES,
    MultipleFileField,
    tag_fields,
    target_theme_fields,
)
from publications.models import (
    REGION_TIME_ZONES,
    Event,
    Material,
    MaterialKind,
    Session,
    Visibility,
)

PARTNERS = "partners"
COUNT_PARTS = ("women", "men", "other")


def show_refusal(
    form: forms.BaseForm,
    error: ValidationError | PermissionDenied,
    aliases: dict[str, str] | None = None,
) -> None:
    """Show a service's refusal on ``form``: beside the field it names, else above the form.

    ``aliases`` maps a service parameter to the form field that holds it, where they differ.
    """
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = (aliases or {}).get(name, name)
            if field == "speakers" and hasattr(form, "speaker_errors"):
                form.speaker_errors.extend(message for e in errors for message in e.messages)
                continue
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_text(error))


class EventForm(forms.ModelForm):
    """What an event is, where and when; ``Event.clean`` judges the dates and the place."""

    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "type",
            "start_date",
            "end_date",
            "time_zone",
            "online",
            "city",
            "venue",
            "organisers",
            "summary",
            "outcomes",
            "species",
            "sites",
            "countries",
            "targets",
            "themes",
            "featured",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "online": _("Tick for a webinar or an online meeting; city and venue may stay empty."),
            "organisers": _("For example: NEASPEC secretariat and the Ministry of Environment."),
            "featured": _("Shown on the home page once the event is published."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(tag_fields(dict.fromkeys(["species", "sites", "countries"], MAX_TAGS)))
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=time_zone_choices(),
            required=False,
            initial=self.instance.time_zone,
            help_text=_("Session times are given and shown in this zone."),
        )
        self.fields.update(target_theme_fields(MAX_TAGS))
        self.order_fields(self.Meta.fields)

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``event_save``; a zone left
        out keeps the event's."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["time_zone"] = values["time_zone"] or self.instance.time_zone
        return values


def time_zone_choices() -> list:
    """Return the region's time zones first, then every other IANA zone."""
    others = sorted(zoneinfo.available_timezones() - set(REGION_TIME_ZONES))
    return [
        (_("Time zones of the region"), [(name, name) for name in REGION_TIME_ZONES]),
        (_("Other time zones"), [(name, name) for name in others]),
    ]


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed as the clock reads in the event's zone (``zone``), not UTC."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, **kwargs) -> None:
        self.zone: zoneinfo.ZoneInfo = kwargs.pop("zone", zoneinfo.ZoneInfo("UTC"))
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            # The base parser (strptime with ``input_formats``), without Django's reading
            # in the site's zone.
            moment = cast(datetime, BaseTemporalField.to_python(self, str(value)))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment


class SessionForm(forms.ModelForm):
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Session
        fields = ["title", "order", "starts_at", "ends_at", "moderators", "description"]
        help_texts = {"order": _("Sessions are shown from the smallest number.")}

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (("starts_at", _("Starts")), ("ends_at", _("Ends"))):
            self.fields[name] = ZonedDateTimeField(
                label=label,
                required=False,
                zone=event.zone,
                help_text=_("Local time in %(zone)s.") % {"zone": event.time_zone},
            )
        self.order_fields(self.Meta.fields)

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``session_save``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ParticipantsForm(forms.Form):
    """Women, men and other/undisclosed per member State and for partners; optional total.

    ``participants_set`` checks the counts and that they add up to the total.
    """

    total = forms.IntegerField(
        label=_("Total participants (as reported)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0}),
        help_text=_("Optional: if given, the counts below must add up to it."),
    )

    def __init__(self, *args, countries, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = [(country.code, country.name) for country in countries]
        self.rows.append((PARTNERS, _("Partners and others")))
        labels = {"women": _("Women"), "men": _("Men"), "other": _("Other")}
        for code, name in self.rows:
            for part in COUNT_PARTS:
                self.fields[f"{code}_{part}"] = forms.IntegerField(
                    label=f"{name}: {labels[part]}",
                    required=False,
                    widget=forms.NumberInput(attrs={"min": 0, "max": MAX_COUNT}),
                )

    def counts(self) -> dict[str | None, tuple[int, int, int]]:
        """Return the counts as ``participants_set`` takes them."""
        return {
            (None if code == PARTNERS else code): cast(
                tuple[int, int, int],  # one count for each of the three parts
                tuple(self.cleaned_data.get(f"{code}_{part}") or 0 for part in COUNT_PARTS),
            )
            for code, _name in self.rows
        }

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``participants_set``."""
        return {"counts": self.counts(), "total": self.cleaned_data.get("total")}

    def table(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (name, [self[f"{code}_{part}"] for part in COUNT_PARTS]) for code, name in self.rows
        ]

    @staticmethod
    def initial_from(counts) -> dict:
        initial: dict[str, int] = {}
        for row in counts:
            code = row.country_id or PARTNERS
            for part in COUNT_PARTS:
                key = f"{code}_{part}"
                initial[key] = initial.get(key, 0) + getattr(row, part)
        return initial


class SpeakerForm(forms.Form):
    """One speaker row: a name and an affiliation (an empty row is skipped)."""

    name = forms.CharField(
        label=_("Speaker's name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": pgettext_lazy("a person", "Name")}),
    )
    affiliation = forms.CharField(
        label=_("Affiliation"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Affiliation")}),
    )


SpeakerFormSet = forms.formset_factory(
    SpeakerForm,
    extra=1,
    can_delete=True,
    max_num=MAX_SPEAKERS,
    absolute_max=MAX_SPEAKERS,
    validate_max=True,
)


class _MaterialFields(forms.Form):
    """What a material's forms share: title, session, speakers (a formset), tags, link."""

    ALIASES = {"url": "link"}

    session = forms.ModelChoiceField(
        Session.objects.none(),
        label=_("Session"),
        required=False,
        empty_label=_("The whole event"),
    )
    title = forms.CharField(label=_("Title"), max_length=400)
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Required for a recording; optional otherwise."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="en")
    visibility = forms.ChoiceField(
        label=_("Who may download the files"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
    )

    def __init__(self, *args, event: Event, speakers: list[dict] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = event.sessions.all()
        tags = tag_fields(dict.fromkeys(["species", "sites", "countries"], MAX_TAGS))
        self.fields["species"] = tags["species"]
        self.fields["sites"] = tags["sites"]
        self.fields["species"].help_text = _(
            "What this material is about; the event's species are not copied."
        )
        #: Refusals of the speakers by the service, shown above the rows (``show_refusal``).
        self.speaker_errors: list[str] = []
        prefix = f"{self.prefix or 'material'}-speakers"
        data: Any = self.data
        if self.is_bound and f"{prefix}-TOTAL_FORMS" not in data:
            # A post without the rows' management form (a script, an old page) names no
            # speaker; the service then says what is missing, beside the rows.
            data = data.copy()
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        # The rows posted are read as they are: an unchanged row matching an initial one
        # must count, so ``initial`` is only for the page shown first.
        self.speaker_rows = (
            SpeakerFormSet(data, prefix=prefix)
            if self.is_bound
            else SpeakerFormSet(initial=speakers, prefix=prefix)
        )

    #: False for a recording's form: no speakers, language, visibility or tags.
    has_publication = True

    def is_valid(self) -> bool:
        rows_valid = self.speaker_rows.is_valid() if self.has_publication else True
        return super().is_valid() and rows_valid

    def speakers(self) -> list[dict[str, str]]:
        """Return every row with a name or an affiliation, in order (the service judges)."""
        rows: list[dict[str, str]] = []
        if not self.has_publication:
            return rows
        for row in self.speaker_rows.forms:
            if row.cleaned_data.get("DELETE"):
                continue
            name = (row.cleaned_data.get("name") or "").strip()
            affiliation = (row.cleaned_data.get("affiliation") or "").strip()
            if name or affiliation:
                rows.append({"name": name, "affiliation": affiliation})
        return rows

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``material_add``/``_update``."""
        values = self.cleaned_data
        return {
            "title": values["title"],
            "session": values["session"],
            "speakers": self.speakers(),
            "link": values["link"],
            "language": values.get("language", "en"),
            "visibility": values.get("visibility", Visibility.PUBLIC),
            "species": list(values.get("species", [])),
            "sites": list(values.get("sites", [])),
        }


class MaterialForm(_MaterialFields):
    """A presentation (speakers, slides), a report (files) or a recording (link).

    What each kind needs is ``material_add``'s decision; its refusals about the speakers
    are shown above the speaker rows.
    """

    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    # A declared field (moved to base_fields by the metaclass), not BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        help_text=_("Slides or report: PDF, PPTX or DOCX. Choose several files at once if needed."),
    )

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``material_add``."""
        return {
            **super().values(),
            "kind": self.cleaned_data["kind"],
            "files": self.cleaned_data["files"],
        }


class MaterialEditForm(_MaterialFields):
    """A material's title, session, speakers, tags, link, language and visibility.

    Its kind and files stay: to change those, remove the material and add it again. A
    recording has only a title, a session and its link.
    """

    def __init__(self, *args, material: Material, **kwargs) -> None:
        kwargs.setdefault("initial", self.initial_from(material))
        kwargs.setdefault("speakers", self.speakers_of(material))
        super().__init__(*args, event=material.event, **kwargs)
        self.has_publication = material.publication is not None
        if not self.has_publication:
            for name in ("language", "visibility", "species", "sites"):
                del self.fields[name]

    @staticmethod
    def initial_from(material: Material) -> dict:
        publication = material.publication
        if publication is None:
            return {"title": material.title, "session": material.session_id, "link": material.link}
        return {
            "title": publication.title,
            "session": material.session_id,
            "link": publication.url,
            "language": publication.language,
            "visibility": publication.visibility,
            "species": list(publication.species.all()),
            "sites": list(publication.sites.all()),
        }

    @staticmethod
    def speakers_of(material: Material) -> list[dict]:
        if material.publication is None:
            return []
        return [
            {"name": author.name, "affiliation": author.affiliation}
            for author in material.publication.authors.all()
        ]
