"""The secretariat's project form: it parses what was typed; ``project_save`` judges it.

The lists of datasets, publications and people offered come from the policy (what the
secretariat may see and name), never from the models directly.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from access import policy
from neaspec_portal.bounds import BoundedModelMultipleChoiceField
from projects.models import MAX_DESCRIPTION, Project
from projects.services import PROJECT_LISTS
from publications.models import Event
from species.models import Country, KmgbfTarget, Site, Species, Theme

MULTI_SELECT_HELP = _("Hold Ctrl (⌘ on a Mac) to choose several.")


def _multiple(queryset, name: str, label, **extra) -> BoundedModelMultipleChoiceField:
    return BoundedModelMultipleChoiceField(
        queryset,
        max_items=PROJECT_LISTS[name],
        required=False,
        label=label,
        help_text=extra.pop("help_text", MULTI_SELECT_HELP),
        widget=extra.pop("widget", forms.SelectMultiple(attrs={"size": 6})),
    )


class ProjectForm(forms.ModelForm):
    """A project and what belongs to it."""

    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    url = forms.URLField(
        label=_("Web address"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "slug",
            "kind",
            "start_date",
            "end_date",
            "description",
            "url",
            "partners",
            "countries",
            "people",
            "sites",
            "species",
            "targets",
            "themes",
            "datasets",
            "publications",
            "events",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "partners": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            {
                "countries": _multiple(
                    Country.objects.filter(is_member_state=True),
                    "countries",
                    _("Member countries"),
                    help_text="",
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                ),
                "people": _multiple(
                    policy.project_people_choices(user),
                    "people",
                    _("People"),
                    help_text=_(
                        "Verified accounts. Only those who made their profile public are "
                        "named on the project's page."
                    ),
                ),
                "sites": _multiple(Site.objects.all(), "sites", _("Sites")),
                "species": _multiple(Species.objects.all(), "species", _("Species")),
                "targets": _multiple(KmgbfTarget.objects.all(), "targets", _("KMGBF targets")),
                "themes": _multiple(Theme.objects.all(), "themes", _("Themes")),
                "datasets": _multiple(
                    policy.visible_datasets(user).order_by("title"), "datasets", _("Datasets")
                ),
                "publications": _multiple(
                    policy.visible_publications(user).order_by("title"),
                    "publications",
                    _("Publications"),
                ),
                "events": _multiple(Event.objects.all(), "events", _("Events")),
            }
        )
        self.order_fields(self.Meta.fields)

    def values(self) -> dict:
        """Return the cleaned values as keyword arguments of ``project_save``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
