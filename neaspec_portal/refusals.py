"""How a page words a service's refusal."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    """Return a service's ValidationError or PermissionDenied as one sentence for the page."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot do this.")


def form_refusal(form: forms.BaseForm, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on ``form``: each message beside the field it names when the
    form has that field (``FORM_ALIASES`` maps a service's name to the form's),
    the rest above the form. The API shows the same messages under the same names."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = FORM_ALIASES.get(name, name)
            form.add_error(field if field in form.fields else None, messages)
        return
    form.add_error(None, refusal_text(error))


#: Names a service gives a field that differ from the page's form field.
FORM_ALIASES = {"file": "files"}
