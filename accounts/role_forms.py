"""Forms of the roles page: whom to make a focal point of which member State, or secretariat."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from access import policy
from accounts.models import User
from species.models import Country


class _AccountForm(forms.Form):
    """Name an account by its username; only accounts whose roles the actor may change."""

    username = forms.CharField(
        label=_("Account"),
        max_length=150,
        help_text=_("The username of a verified account, as on the list of accounts."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.account: User | None = None

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        self.account = policy.role_accounts(self.actor).filter(username=username).first()
        if self.account is None:
            raise forms.ValidationError(
                _("No account has this username, or it is yours: nobody changes their own roles.")
            )
        return username


class FocalPointAppointForm(_AccountForm):
    prefix = "focal-point"
    country = forms.ModelChoiceField(
        label=_("Member State"),
        queryset=Country.objects.filter(is_member_state=True),
        empty_label=_("Choose…"),
        help_text=_("The account must be affiliated with this member State."),
    )


class SecretariatAppointForm(_AccountForm):
    prefix = "secretariat"
