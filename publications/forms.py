"""Forms of the library."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publications.models import Publication
from species.models import Country, KmgbfTarget, Site, Species, Theme

LANGUAGES = [
    ("en", "English"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("mn", "Монгол"),
    ("ru", "Русский"),
    ("other", _("Other")),
]
AUTHOR_ROWS = 5


class PublicationForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    species = forms.ModelMultipleChoiceField(
        Species.objects.all(), required=False, label=_("Species")
    )
    sites = forms.ModelMultipleChoiceField(Site.objects.all(), required=False, label=_("Sites"))
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        label=_("Countries"),
        widget=forms.CheckboxSelectMultiple,
    )
    targets = forms.ModelMultipleChoiceField(
        KmgbfTarget.objects.all(), required=False, label=_("KMGBF targets")
    )
    themes = forms.ModelMultipleChoiceField(Theme.objects.all(), required=False, label=_("Themes"))
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
            "visibility",
            "species",
            "sites",
            "countries",
            "targets",
            "themes",
        ]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "doi": _("For example 10.1186/s40657-018-0114-9."),
            "visibility": _("Who may download the files once it is published."),
        }

    def __init__(self, *args, duplicates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates = duplicates or []
        for number in range(AUTHOR_ROWS):
            self.fields[f"author_{number}_name"] = forms.CharField(
                label=_("Author %(n)d") % {"n": number + 1}, required=number == 0, max_length=200
            )
            self.fields[f"author_{number}_affiliation"] = forms.CharField(
                label=_("Affiliation"), required=False, max_length=300
            )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1900 <= year <= timezone.localdate().year + 1:
            raise forms.ValidationError(_("Give a year between 1900 and next year."))
        return year

    def clean_doi(self) -> str:
        from publications.services import doi_normalize

        doi = doi_normalize(self.cleaned_data.get("doi", ""))
        if doi and not doi.startswith("10."):
            raise forms.ValidationError(_("A DOI starts with 10., e.g. 10.1000/xyz123."))
        return doi

    def authors(self) -> list[dict[str, str]]:
        return [
            {
                "name": self.cleaned_data.get(f"author_{n}_name", ""),
                "affiliation": self.cleaned_data.get(f"author_{n}_affiliation", ""),
            }
            for n in range(AUTHOR_ROWS)
            if self.cleaned_data.get(f"author_{n}_name")
        ]

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["authors"] = self.authors()
        return values
