"""Forms of the datasets pages."""

from datetime import timedelta
from typing import cast

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access import policy
from datasets.models import (
    LIST_LIMITS,
    REASON_TEXT,
    SHORT_TEXT,
    AccessLevel,
    Dataset,
    Decision,
    Method,
)
from neaspec_portal.bounds import BoundedModelMultipleChoiceField
from neaspec_portal.widgets import MultiSelect, QuickSelect
from publications.models import PublicationType
from species.models import Country, KmgbfTarget, Site, Species, Theme

ACCESS_HELP = _(
    "Public: anyone. Registered users: any verified account. Member States: verified accounts "
    "of the six States. Owner country: verified accounts of your country. Restricted: only "
    "your country's focal points and people they approve. You and your country's focal "
    "points can always download."
)


def contact_initial(user) -> dict[str, str]:
    """Return the contact fields of a new dataset filled from ``user``'s profile."""
    return {"contact_name": user.get_full_name().strip(), "contact_email": user.email}


class DatasetForm(forms.ModelForm):
    """Shape the page's input for ``services.dataset_create`` / ``dataset_update``; the rules
    are ``Dataset.clean`` (run here by the ``ModelForm``) and the services'."""

    species = BoundedModelMultipleChoiceField(
        label=_("Species"),
        queryset=Species.objects.all(),
        max_items=LIST_LIMITS["species"],
        to_field_name="code",
        required=False,
        widget=MultiSelect(),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    sites = BoundedModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.all(),
        max_items=LIST_LIMITS["sites"],
        to_field_name="code",
        required=False,
        widget=MultiSelect(),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    targets = BoundedModelMultipleChoiceField(
        label=_("KMGBF targets"),
        queryset=KmgbfTarget.objects.all(),
        max_items=LIST_LIMITS["targets"],
        required=False,
        widget=MultiSelect(),
        help_text=_("The Global Biodiversity Framework targets these data help to meet."),
    )
    themes = BoundedModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        max_items=LIST_LIMITS["themes"],
        required=False,
        to_field_name="code",
        widget=MultiSelect(),
    )
    co_owner_countries = BoundedModelMultipleChoiceField(
        label=_("Co-owner countries"),
        queryset=Country.objects.filter(is_member_state=True),
        max_items=LIST_LIMITS["co_owner_countries"],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("For transboundary data: each co-owner's focal point must approve too."),
    )

    collaborators = forms.CharField(
        label=_("Collaborators"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Usernames or email addresses of verified accounts, separated by commas or lines. "
            "Collaborators edit the drafts and download the files."
        ),
    )

    class Meta:
        model = Dataset
        fields = [
            "change_note",
            "title",
            "title_en",
            "abstract",
            "method",
            "temporal_start",
            "temporal_end",
            "species",
            "sites",
            "targets",
            "themes",
            "co_owner_countries",
            "licence",
            "licence_terms",
            "access_level",
            "citation",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "temporal_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "temporal_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "abstract": forms.Textarea(attrs={"rows": 5}),
            "change_note": forms.Textarea(attrs={"rows": 3}),
            "citation": forms.Textarea(attrs={"rows": 2}),
            "licence_terms": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("In the language of the data's owners."),
            "title_en": _("Leave empty if the title is already in English."),
            "access_level": ACCESS_HELP,
            "licence_terms": _("Required when the licence is custom terms."),
        }

    def __init__(self, *args, user: policy.Actor | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        dataset = self.instance
        self.fields["protocols"] = forms.ModelMultipleChoiceField(
            label=_("Monitoring protocols followed"),
            queryset=policy.listed_publications(user or AnonymousUser())
            .filter(type=PublicationType.PROTOCOL)
            .order_by("title"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
            help_text=_(
                "Protocols in the library (publications of type protocol) that this data was "
                "collected by. Hold Ctrl (⌘ on a Mac) to choose several."
            ),
        )
        if dataset.pk is not None:
            self.fields["protocols"].initial = list(dataset.protocols.values_list("pk", flat=True))
        order = [name for name in self.fields if name != "protocols"]
        order.insert(order.index("sites") + 1, "protocols")
        self.order_fields(order)
        if dataset.pk is None or dataset.version == 1:
            del self.fields["change_note"]
        else:
            self.fields["change_note"].help_text = _("Readers see it beside this version.")
        if dataset.pk is not None:
            self.fields["collaborators"].initial = ", ".join(
                dataset.collaborators.values_list("username", flat=True)
            )

    def clean_collaborators(self) -> list[str]:
        """Split the names; ``services`` finds the accounts and refuses unknown ones."""
        text = self.cleaned_data["collaborators"].replace("\n", ",")
        names = [name.strip() for name in text.split(",") if name.strip()]
        if len(names) > LIST_LIMITS["collaborators"]:
            raise forms.ValidationError(
                _("Name at most %(count)d collaborators.") % {"count": LIST_LIMITS["collaborators"]}
            )
        return names

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of the services."""
        return {name: self.cleaned_data[name] for name in self.fields}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to request changes or reject; the uploader reads it."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class AccessRequestForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you will study with the data, and for which project."),
    )
    intended_use = forms.CharField(
        label=_("Intended use"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Publications, reports or decisions the data will feed."),
    )
    wanted_until = forms.DateField(
        label=_("Needed until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wanted_until"].initial = timezone.localdate() + timedelta(days=365)


class GrantForm(forms.Form):
    until = forms.DateField(
        label=_("Access until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The access ends by itself on this date."),
    )


class DatasetFilterForm(forms.Form):
    """The side filters of the dataset list (GET), drawn unbound with the values that
    ``neaspec_portal.params`` read (``selectors.DatasetFilters``): it parses nothing."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    species = forms.ChoiceField(label=_("Species"), required=False, widget=QuickSelect)
    site = forms.ChoiceField(label=_("Site"), required=False, widget=QuickSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    method = forms.ChoiceField(label=_("Method"), required=False, widget=QuickSelect)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    access_level = forms.ChoiceField(label=_("Access"), required=False, widget=QuickSelect)
    target = forms.ChoiceField(label=_("KMGBF target"), required=False, widget=QuickSelect)
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=QuickSelect)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["species"]).choices = everything + [
            (s.code, s.name) for s in Species.objects.all()
        ]
        cast(forms.ChoiceField, self.fields["site"]).choices = everything + [
            (s.code, s.name) for s in Site.objects.all()
        ]
        cast(forms.ChoiceField, self.fields["country"]).choices = everything + [
            (c.code, c.name) for c in Country.objects.filter(is_member_state=True)
        ]
        cast(forms.ChoiceField, self.fields["method"]).choices = everything + list(Method.choices)
        cast(forms.ChoiceField, self.fields["access_level"]).choices = everything + list(
            AccessLevel.choices
        )
        cast(forms.ChoiceField, self.fields["target"]).choices = everything + [
            (str(t.number), str(t)) for t in KmgbfTarget.objects.all()
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = everything + [
            (t.code, t.name) for t in Theme.objects.all()
        ]
