"""Password rules that depend on who the account is."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from accounts.two_factor import holds_keys


class KeyHolderMinimumLengthValidator:
    """Ask accounts that hold keys (focal points, secretariat, admins) for a longer password.

    Django's ``MinimumLengthValidator`` keeps its default for everyone else; the common-password
    and other validators apply to all.
    """

    def __init__(self, min_length: int = 12) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if user is not None and len(password) < self.min_length and holds_keys(user):
            raise ValidationError(
                ngettext(
                    "Focal points, the secretariat and administrators need a password of at "
                    "least %(min_length)d character.",
                    "Focal points, the secretariat and administrators need a password of at "
                    "least %(min_length)d characters.",
                    self.min_length,
                ),
                code="password_too_short_for_role",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Focal points, the secretariat and administrators need at least %(min_length)d "
            "character.",
            "Focal points, the secretariat and administrators need at least %(min_length)d "
            "characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
