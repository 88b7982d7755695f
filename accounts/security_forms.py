"""Forms of two-factor sign-in and API tokens."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User

#: The longest password accepted when signing in (the API's token endpoint says the same).
PASSWORD_MAX_LENGTH = 4096

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "spellcheck": "false",
    "autofocus": True,
}


class _BoundedCredentials:
    """Refuse an over-long username or password before any account is looked up.

    Django sets the username's ``max_length`` only as an HTML attribute: a longer one went
    on to the database, where django-axes' failure record could not hold it (a 500).
    """

    fields: dict[str, forms.Field]

    def _bound_credentials(self) -> None:
        username_max = User._meta.get_field("username").max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(username_max))
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))


class SignInForm(_BoundedCredentials, AuthenticationForm):
    """Django's sign-in form, with the lengths of the credentials checked first."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._bound_credentials()


class AdminSignInForm(_BoundedCredentials, AdminAuthenticationForm):
    """The admin's sign-in form, with the lengths of the credentials checked first."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._bound_credentials()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )


class SetupForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The 6-digit code the app shows for this account, to prove it works."),
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
    )


class TwoFactorResetForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("The account whose authenticator app is lost or no longer trusted."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail and sent to the person."),
    )
    identity_checked = forms.BooleanField(
        label=_("I have checked, outside the hub, that this person asked for the reset."),
        help_text=_(
            "Whoever knows the password can set up a new authenticator after a reset: call "
            "the person, or ask their focal point."
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, such as the script or computer that uses it."),
    )
