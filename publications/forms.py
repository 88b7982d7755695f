"""Forms of the library: what people type, checked before any service runs.

The forms of events are in ``publications.events_forms``.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from datasets.file_store import DOCUMENT_EXTENSIONS, document_error
from neaspec_portal.bounds import BoundedModelMultipleChoiceField
from neaspec_portal.widgets import MultiSelect, SearchableSelect
from publications.models import Publication, PublicationLicence
from publications.rules import (
    EARLIEST_YEAR,
    LIST_LIMITS,
    MAIN_LANGUAGES,
    OTHER_LANGUAGES,
    latest_year,
)
from species.models import Country, KmgbfTarget, Site, Species, Theme

if TYPE_CHECKING:
    _PeopleRowsBase = forms.BaseForm  # the mixin is only ever combined with a form
else:
    _PeopleRowsBase = object

LANGUAGE_CHOICES = [
    (_("Languages of the member States"), MAIN_LANGUAGES),
    (_("Other languages"), OTHER_LANGUAGES),
]

AUTHOR_ROWS = 5

#: The fields of the form shown after the authors.
CITATION_FIELDS = ("publisher", "institution", "licence", "visibility")

MULTI_SELECT_HELP = _("Hold Ctrl (⌘ on a Mac) to choose several.")


def language_name(code: str) -> str:
    """Return the name of the ISO 639-1 language ``code`` in that language, or the code."""
    names = dict(MAIN_LANGUAGES + OTHER_LANGUAGES)
    return names.get(code, code)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by ``document_error``
    (the rule of the upload service every surface uses)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(DOCUMENT_EXTENSIONS)})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]
        errors = [message for upload in cleaned if (message := document_error(upload))]
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


def tag_fields(limits: Mapping[str, int]) -> dict[str, forms.Field]:
    """Return the species, sites and countries fields of a library or an event form, each
    refusing more values than ``limits`` allows it."""
    return {
        "species": BoundedModelMultipleChoiceField(
            Species.objects.all(),
            max_items=limits["species"],
            required=False,
            label=_("Species"),
            help_text=MULTI_SELECT_HELP,
            widget=MultiSelect(),
        ),
        "sites": BoundedModelMultipleChoiceField(
            Site.objects.all(),
            max_items=limits["sites"],
            required=False,
            label=_("Sites"),
            help_text=MULTI_SELECT_HELP,
            widget=MultiSelect(),
        ),
        "countries": BoundedModelMultipleChoiceField(
            Country.objects.filter(is_member_state=True),
            max_items=limits["countries"],
            required=False,
            label=_("Countries"),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        ),
    }


def target_theme_fields(max_items: int) -> dict[str, forms.Field]:
    """Return the KMGBF targets and themes fields of an event form (as a publication's)."""
    return {
        "targets": BoundedModelMultipleChoiceField(
            KmgbfTarget.objects.all(),
            max_items=max_items,
            required=False,
            label=_("KMGBF targets"),
            widget=forms.SelectMultiple(attrs={"size": 6}),
        ),
        "themes": BoundedModelMultipleChoiceField(
            Theme.objects.all(),
            max_items=max_items,
            required=False,
            label=_("Themes"),
            widget=forms.SelectMultiple(attrs={"size": 6}),
        ),
    }


class PeopleRowsMixin(_PeopleRowsBase):
    """Numbered name + affiliation rows (authors or speakers); empty rows are skipped."""

    people_prefix = "author"
    people_rows = AUTHOR_ROWS
    people_label = _("Author %(n)d")

    def add_people_fields(self, first_required: bool) -> None:
        for number in range(self.people_rows):
            self.fields[f"{self.people_prefix}_{number}_name"] = forms.CharField(
                label=self.people_label % {"n": number + 1},
                required=first_required and number == 0,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": pgettext_lazy("a person", "Name")}),
            )
            self.fields[f"{self.people_prefix}_{number}_affiliation"] = forms.CharField(
                label=_("Affiliation of %(who)s") % {"who": self.people_label % {"n": number + 1}},
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"placeholder": _("Affiliation")}),
            )

    def clean_people(self) -> None:
        for number in range(self.people_rows):
            name = self.cleaned_data.get(f"{self.people_prefix}_{number}_name", "").strip()
            affiliation = self.cleaned_data.get(f"{self.people_prefix}_{number}_affiliation", "")
            if affiliation.strip() and not name:
                self.add_error(
                    f"{self.people_prefix}_{number}_name",
                    _("Give the name, or clear the affiliation beside it."),
                )

    def people(self) -> list[dict[str, str]]:
        """Return the filled rows in order as {"name", "affiliation"} dicts."""
        rows = []
        for number in range(self.people_rows):
            name = self.cleaned_data.get(f"{self.people_prefix}_{number}_name", "").strip()
            if name:
                affiliation = self.cleaned_data.get(f"{self.people_prefix}_{number}_affiliation")
                rows.append({"name": name, "affiliation": (affiliation or "").strip()})
        return rows

    def people_rows_bound(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"{self.people_prefix}_{n}_name"], self[f"{self.people_prefix}_{n}_affiliation"])
            for n in range(self.people_rows)
        ]


class AuthorForm(forms.Form):
    """One author row: a name and, optionally, an affiliation."""

    name = forms.CharField(
        label=pgettext_lazy("a person", "Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    affiliation = forms.CharField(
        label=_("Affiliation"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("affiliation", "").strip() and not cleaned.get("name", "").strip():
            self.add_error("name", _("Give the name, or clear the affiliation beside it."))
        return cleaned


class BaseAuthorFormSet(forms.BaseFormSet):
    """Authors in order; empty rows and rows marked for removal are skipped."""

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.authors():
            raise forms.ValidationError(_("Give at least one author."), code="required")

    def authors(self) -> list[dict[str, str]]:
        """Return the filled rows in order as {"name", "affiliation"} dicts."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE"):
                continue
            name = data.get("name", "").strip()
            if name:
                rows.append({"name": name, "affiliation": data.get("affiliation", "").strip()})
        return rows


#: Rows of authors: the publication's, then ``extra`` empty ones for a browser without
#: JavaScript (``static/js/rows.js`` adds more on demand).
AuthorFormSet = forms.formset_factory(
    AuthorForm,
    formset=BaseAuthorFormSet,
    extra=3,
    can_delete=True,
    max_num=LIST_LIMITS["authors"],
    absolute_max=LIST_LIMITS["authors"],
    validate_max=True,
)


class PublicationForm(forms.ModelForm):
    """Describe a publication; on creation also its files."""

    language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGE_CHOICES, initial="en", widget=SearchableSelect()
    )
    targets = BoundedModelMultipleChoiceField(
        KmgbfTarget.objects.all(),
        max_items=LIST_LIMITS["targets"],
        required=False,
        label=_("KMGBF targets"),
        help_text=MULTI_SELECT_HELP,
        widget=MultiSelect(),
    )
    themes = BoundedModelMultipleChoiceField(
        Theme.objects.all(),
        max_items=LIST_LIMITS["themes"],
        required=False,
        label=_("Themes"),
        help_text=MULTI_SELECT_HELP,
        widget=MultiSelect(),
    )
    url = forms.URLField(
        label=_("Web address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the publication can be read, if it has no DOI."),
    )
    # A declared field (moved to base_fields by the metaclass), not BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        help_text=_("PDF preferably; DOCX and PPTX are accepted too. You can choose several."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, this is a different publication with the same DOI"), required=False
    )

    class Meta:
        model = Publication
        fields = [
            "type",
            "title",
            "title_en",
            "year",
            "language",
            "abstract",
            "doi",
            "url",
            "publisher",
            "institution",
            "licence",
            "species",
            "sites",
            "countries",
            "targets",
            "themes",
            "visibility",
        ]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "title": _("As printed, in the publication's own language."),
            "title_en": _("Leave empty if the title is already in English."),
            "doi": _("For example 10.1186/s40657-018-0114-9."),
            "visibility": _(
                "Who may download the files once it is published. Its description is public."
            ),
        }

    def __init__(self, *args, with_files: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(tag_fields(LIST_LIMITS))
        self.order_fields(self.Meta.fields)
        self.fields["year"].widget.attrs.update(min=EARLIEST_YEAR, max=latest_year())
        self.duplicates: list[Publication] = []
        if not with_files:
            del self.fields["files"]
        licence = self.fields["licence"]
        assert isinstance(licence, forms.ChoiceField)
        licence.choices = [("", _("Not stated")), *PublicationLicence.choices]
        initial = None
        if self.instance.pk and not self.is_bound:
            initial = [
                {"name": author.name, "affiliation": author.affiliation}
                for author in self.instance.authors.all()
            ]
        self.authors = cast(
            BaseAuthorFormSet,
            AuthorFormSet(self.data if self.is_bound else None, initial=initial, prefix="authors"),
        )

    def is_valid(self) -> bool:
        # Both, always: the rows show their own errors even when a field above has one.
        form_valid = super().is_valid()
        return self.authors.is_valid() and form_valid

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of the services (files apart)."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["authors"] = self.authors.authors()
        return values

    def metadata_fields(self) -> list[forms.BoundField]:
        """Return the fields shown before the authors, in order."""
        return [self[name] for name in self.Meta.fields if name not in CITATION_FIELDS]

    def citation_fields(self) -> list[forms.BoundField]:
        """Return the fields shown after the authors: where and under which licence."""
        return [self[name] for name in CITATION_FIELDS]


class PublicationFilesForm(forms.Form):
    # A declared field (moved to base_fields by the metaclass), not BaseForm.files.
    files = MultipleFileField(label=_("Files"), required=True)  # type: ignore[assignment]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Publish")), ("return", _("Return for changes"))],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return it; the uploader reads it."),
    )
