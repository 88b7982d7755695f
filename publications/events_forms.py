"""Forms of the secretariat's event pages: they parse what was typed, nothing more.

The rules (dates in order, a speaker for each presentation, a link for each recording,
counts that add up, ...) live in ``publications.events_services`` and ``Event.clean``;
the views call the services with ``values()`` and show a refusal beside the field it names
with ``show_refusal``. The API calls the same services, so page and API cannot disagree.
Only bounds that protect the database (how many codes a list may hold) are also checked
here, before any query, with the services' own limits and wording.
"""

from typing import cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from neaspec_portal.refusals import refusal_text
from publications.events_services import MAX_COUNT, MAX_TAGS, MAX_TEXT
from publications.forms import (
    LANGUAGE_CHOICES,
    MultipleFileField,
    PeopleRowsMixin,
    tag_fields,
    target_theme_fields,
)
from publications.models import Event, MaterialKind, Session, Visibility

SPEAKER_ROWS = 3
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
            "featured": _("Shown on the home page."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(tag_fields(dict.fromkeys(["species", "sites", "countries"], MAX_TAGS)))
        self.fields.update(target_theme_fields(MAX_TAGS))
        self.order_fields(self.Meta.fields)

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``event_save``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SessionForm(forms.ModelForm):
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Session
        fields = ["title", "order", "moderators", "description"]
        help_texts = {"order": _("Sessions are shown from the smallest number.")}

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
        initial = {}
        for row in counts:
            code = row.country_id or PARTNERS
            initial.update(
                {f"{code}_women": row.women, f"{code}_men": row.men, f"{code}_other": row.other}
            )
        return initial


class MaterialForm(PeopleRowsMixin, forms.Form):
    """A presentation (speakers, slides), a report (files) or a recording (link).

    What each kind needs is ``material_add``'s decision; its refusals about the speakers
    are shown beside the first speaker (``ALIASES``).
    """

    ALIASES = {"speakers": "speaker_0_name", "url": "link"}

    people_prefix = "speaker"
    people_rows = SPEAKER_ROWS
    people_label = _("Speaker %(n)d")

    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    session = forms.ModelChoiceField(
        Session.objects.none(),
        label=_("Session"),
        required=False,
        empty_label=_("The whole event"),
    )
    title = forms.CharField(label=_("Title"), max_length=400)
    # A declared field (moved to base_fields by the metaclass), not BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        help_text=_("Slides or report: PDF, PPTX or DOCX. Choose several files at once if needed."),
    )
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

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = event.sessions.all()
        self.add_people_fields(first_required=False)

    def speakers(self) -> list[dict[str, str]]:
        """Return every row with a name or an affiliation, in order (the service judges)."""
        rows = []
        for number in range(self.people_rows):
            name = self.cleaned_data.get(f"speaker_{number}_name") or ""
            affiliation = self.cleaned_data.get(f"speaker_{number}_affiliation") or ""
            if name.strip() or affiliation.strip():
                rows.append({"name": name.strip(), "affiliation": affiliation.strip()})
        return rows

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``material_add``."""
        values = self.cleaned_data
        return {
            "kind": values["kind"],
            "title": values["title"],
            "session": values["session"],
            "speakers": self.speakers(),
            "files": values["files"],
            "link": values["link"],
            "language": values["language"],
            "visibility": values["visibility"],
        }
