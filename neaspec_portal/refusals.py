"""How a page words a service's refusal."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    """Return a service's ValidationError or PermissionDenied as one sentence for the page."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot do this.")
