"""The secretariat's form of a training's trainees: repeating rows, parsed and nothing more.

Each row is a country (or partners), an age group, a role and three counts; rows left
empty are dropped. ``training_services.trainees_set`` judges the rows.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from neaspec_portal.refusals import refusal_text
from publications.events_forms import COUNT_PARTS, PARTNERS
from publications.events_services import MAX_COUNT
from publications.models import AgeGroup, ParticipantRole
from publications.training_services import MAX_ROWS

#: Empty rows offered below the recorded ones (the page offers more after each save).
EXTRA_ROWS = 3


class TraineeRowForm(forms.Form):
    country = forms.ChoiceField(label=_("From"))
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=AgeGroup.choices, initial=AgeGroup.UNDISCLOSED
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.FRONTLINE
    )
    women = forms.IntegerField(label=_("Women"), required=False, min_value=0, max_value=MAX_COUNT)
    men = forms.IntegerField(label=_("Men"), required=False, min_value=0, max_value=MAX_COUNT)
    other = forms.IntegerField(
        label=_("Other or undisclosed"), required=False, min_value=0, max_value=MAX_COUNT
    )

    def __init__(self, *args, countries=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(country.code, country.name) for country in countries]
        choices.append((PARTNERS, _("Partners and others")))
        self.fields["country"].choices = choices  # type: ignore[attr-defined]

    def row(self) -> dict | None:
        """Return the row as ``trainees_set`` takes it, or None when no count was given."""
        data = getattr(self, "cleaned_data", {})
        counts = {part: data.get(part) or 0 for part in COUNT_PARTS}
        if not any(counts.values()) or "country" not in data:
            return None
        country = data["country"]
        return {
            "country": None if country == PARTNERS else country,
            "age_group": data["age_group"],
            "role": data["role"],
            **counts,
        }


BaseTraineesFormSet = forms.formset_factory(
    TraineeRowForm,
    extra=EXTRA_ROWS,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS + EXTRA_ROWS,
    validate_max=True,
)


class TraineesFormSet(BaseTraineesFormSet):  # type: ignore[valid-type,misc]
    """The trainees of one training, one form per row."""

    @classmethod
    def get_default_prefix(cls) -> str:
        return "trainee"

    def values(self) -> dict:
        """Return the filled rows as keyword arguments of ``trainees_set``."""
        return {"rows": [row for form in self.forms if (row := form.row()) is not None]}

    def refuse(self, error: ValidationError | PermissionDenied) -> None:
        """Show a refusal of ``trainees_set`` above the rows (it names the row at fault)."""
        messages = error.messages if isinstance(error, ValidationError) else [refusal_text(error)]
        self._non_form_errors = self.error_class(messages)

    @staticmethod
    def initial_from(counts) -> list[dict]:
        return [
            {
                "country": row.country_id or PARTNERS,
                "age_group": row.age_group,
                "role": row.role,
                "women": row.women,
                "men": row.men,
                "other": row.other,
            }
            for row in counts
        ]
