"""Forms of accounts: registration, profile and verification decisions."""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from species.models import Country

PARTNER = "partner"


class RegistrationForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and @ . + - _ only."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _ in a username.")},
    )
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"), help_text=_("We send the verification result and notices here.")
    )
    affiliation = forms.ChoiceField(
        label=_("Affiliation"),
        help_text=_(
            "The member State you work for or in. Its focal point verifies your account. "
            "Choose partner organisation if you work for none of them."
        ),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Institute, agency or NGO; required for partner organisations."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["affiliation"]).choices = [
            ("", _("Choose…")),
            *[
                (country.code, country.name)
                for country in Country.objects.filter(is_member_state=True)
            ],
            (PARTNER, _("Partner organisation (no member State)")),
        ]

    # Whether the username or the email is taken is not said here but by email to the
    # address (accounts.services.account_register): the page answers the same either way.
    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("affiliation") == PARTNER and not cleaned.get("organisation"):
            self.add_error("organisation", _("Name your organisation."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def country(self) -> Country | None:
        """Return the chosen member State, or None for a partner organisation."""
        code = self.cleaned_data["affiliation"]
        return None if code == PARTNER else Country.objects.get(code=code)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "organisation", "preferred_language"]
        labels = {"first_name": _("Given name"), "last_name": _("Family name")}
        widgets = {"preferred_language": forms.Select(choices=[("", "—"), *settings.LANGUAGES])}
        help_texts = {"preferred_language": _("The language of the emails the hub sends you.")}


class RejectAccountForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the applicant."),
    )
