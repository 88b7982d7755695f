"""The profile form: an account writes what it shows; ``profile_save`` judges it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from neaspec_portal.bounds import BoundedModelMultipleChoiceField
from people import rules
from people.models import MAX_BIO, Profile
from people.services import PROFILE_LISTS
from publications.rules import MAIN_LANGUAGES, OTHER_LANGUAGES
from species.models import Country, Species, Theme


class ProfileForm(forms.ModelForm):
    """What a researcher shows in the expert directory, and whether to show it."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=MAIN_LANGUAGES + OTHER_LANGUAGES,
        help_text=_("The languages you work in. Hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    bio = forms.CharField(
        label=_("About"),
        required=False,
        max_length=MAX_BIO,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    orcid = forms.CharField(
        label=_("ORCID iD"),
        required=False,
        max_length=60,
        help_text=_("16 characters, e.g. 0000-0002-1825-0097; the checksum is verified."),
    )

    class Meta:
        model = Profile
        fields = [
            "is_public",
            "display_name",
            "affiliation",
            "country",
            "expertise",
            "expertise_note",
            "species",
            "languages",
            "orcid",
            "bio",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ModelChoiceField(
            Country.objects.filter(is_member_state=True),
            required=False,
            label=_("Country"),
            empty_label=_("None (partner organisation)"),
        )
        self.fields["expertise"] = BoundedModelMultipleChoiceField(
            Theme.objects.all(),
            max_items=PROFILE_LISTS["expertise"],
            required=False,
            label=_("Expertise"),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )
        self.fields["species"] = BoundedModelMultipleChoiceField(
            Species.objects.all(),
            max_items=PROFILE_LISTS["species"],
            required=False,
            label=_("Species"),
            help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )
        self.order_fields(self.Meta.fields)

    def clean_orcid(self) -> str:
        """Return the iD of a pasted address; ``Profile.clean`` then checks it."""
        return rules.orcid_normalize(self.cleaned_data["orcid"])

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``profile_save``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
