"""Forms of the library: what people type, checked before any service runs.

The forms of events are in ``publications.events_forms``.
"""

import zipfile
from typing import TYPE_CHECKING

from django import forms
from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publications.models import Publication
from publications.services import doi_normalize
from species.models import Country, KmgbfTarget, Site, Species, Theme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    _PeopleRowsBase = forms.BaseForm  # the mixin is only ever combined with a form
else:
    _PeopleRowsBase = object

#: The six languages of the member States first; any other ISO 639-1 language after them.
MAIN_LANGUAGES = [
    ("en", "English"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("mn", "Монгол"),
    ("ru", "Русский"),
]
OTHER_LANGUAGES = sorted(
    (
        (
            code,
            info["name_local"]
            if info["name_local"] == info["name"]
            else f"{info['name_local']} ({info['name']})",
        )
        for code, info in LANG_INFO.items()
        if len(code) == 2 and "name" in info and code not in dict(MAIN_LANGUAGES)
    ),
    key=lambda choice: LANG_INFO[choice[0]]["name"],
)
LANGUAGE_CHOICES = [
    (_("Languages of the member States"), MAIN_LANGUAGES),
    (_("Other languages"), OTHER_LANGUAGES),
]
LANGUAGE_CODES = {code for code, _label in MAIN_LANGUAGES + OTHER_LANGUAGES}

AUTHOR_ROWS = 5
ALLOWED_EXTENSIONS = (".pdf", ".docx", ".pptx")
#: What the first bytes of an allowed file look like, and what a DOCX or PPTX zip must hold.
OFFICE_PARTS = {".docx": "word/document.xml", ".pptx": "ppt/presentation.xml"}

MULTI_SELECT_HELP = _("Hold Ctrl (⌘ on a Mac) to choose several.")


def language_name(code: str) -> str:
    """Return the name of the ISO 639-1 language ``code`` in that language, or the code."""
    names = dict(MAIN_LANGUAGES + OTHER_LANGUAGES)
    return names.get(code, code)


def latest_year() -> int:
    """Return the latest year a publication may carry: next year (in press)."""
    return timezone.localdate().year + 1


def year_error(year: int) -> str | None:
    """Return why ``year`` is not a publication year, or None when it is one."""
    if not 1900 <= year <= latest_year():
        return _("Give a year between 1900 and %(latest)d.") % {"latest": latest_year()}
    return None


def doi_error(doi: str) -> "StrOrPromise | None":
    """Return why the normalized ``doi`` is not a DOI, or None when it looks like one."""
    if doi and (not doi.startswith("10.") or "/" not in doi or any(ch.isspace() for ch in doi)):
        return _("A DOI looks like 10.1000/xyz123 (a web address from doi.org is fine too).")
    return None


def upload_error(upload) -> str | None:
    """Return why ``upload`` is not a PDF, DOCX or PPTX file, judged from its name and bytes.

    The processing pipeline checks the real type again later; this catches the obvious
    mistakes while the person is still on the form.
    """
    name = upload.name.lower()
    extension = next((ext for ext in ALLOWED_EXTENSIONS if name.endswith(ext)), None)
    if extension is None:
        return _("%(name)s: only PDF, DOCX and PPTX files are accepted.") % {"name": upload.name}
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf":
        if not head.startswith(b"%PDF-"):
            return _("%(name)s is not a PDF file.") % {"name": upload.name}
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    finally:
        upload.seek(0)
    if OFFICE_PARTS[extension] not in names:
        return _("%(name)s is not a %(kind)s document.") % {
            "name": upload.name,
            "kind": extension[1:].upper(),
        }
    return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by ``upload_error``."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]
        errors = [message for upload in cleaned if (message := upload_error(upload))]
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


def _tag_fields() -> dict[str, forms.Field]:
    return {
        "species": forms.ModelMultipleChoiceField(
            Species.objects.all(),
            required=False,
            label=_("Species"),
            help_text=MULTI_SELECT_HELP,
            widget=forms.SelectMultiple(attrs={"size": 6}),
        ),
        "sites": forms.ModelMultipleChoiceField(
            Site.objects.all(),
            required=False,
            label=_("Sites"),
            widget=forms.SelectMultiple(attrs={"size": 6}),
        ),
        "countries": forms.ModelMultipleChoiceField(
            Country.objects.filter(is_member_state=True),
            required=False,
            label=_("Countries"),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
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
                widget=forms.TextInput(attrs={"placeholder": _("Name")}),
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


class PublicationForm(PeopleRowsMixin, forms.ModelForm):
    """Describe a publication; on creation also its files."""

    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="en")
    targets = forms.ModelMultipleChoiceField(
        KmgbfTarget.objects.all(),
        required=False,
        label=_("KMGBF targets"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(),
        required=False,
        label=_("Themes"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
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
        self.fields.update({name: field for name, field in _tag_fields().items()})
        self.order_fields(self.Meta.fields)
        self.fields["year"].widget.attrs.update(min=1900, max=latest_year())
        self.duplicates: list[Publication] = []
        if not with_files:
            del self.fields["files"]
        self.add_people_fields(first_required=True)
        if self.instance.pk and not self.is_bound:
            for number, author in enumerate(self.instance.authors.all()[: self.people_rows]):
                self.initial[f"author_{number}_name"] = author.name
                self.initial[f"author_{number}_affiliation"] = author.affiliation

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if message := year_error(year):
            raise forms.ValidationError(message)
        return year

    def clean_doi(self) -> str:
        doi = doi_normalize(self.cleaned_data.get("doi", ""))
        if message := doi_error(doi):
            raise forms.ValidationError(message)
        return doi

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data
        self.clean_people()
        return cleaned

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of the services (files apart)."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["authors"] = self.people()
        return values

    def metadata_fields(self) -> list[forms.BoundField]:
        """Return the fields shown in the main part of the form, in order."""
        skip = {"files", "confirm_duplicate"}
        return [
            field
            for field in self
            if field.name not in skip and not field.name.startswith(f"{self.people_prefix}_")
        ]


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

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what should change before returning it."))
        return cleaned
