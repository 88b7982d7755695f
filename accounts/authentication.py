"""How API callers prove who they are: ``Authorization: Token <key>``, and getting a key.

``ApiTokenAuthentication`` answers 401 for an unknown, expired or revoked token, a token made
under an earlier password, and an inactive account; 403 for a token of an account that holds
keys but was made without a second factor (or whose authenticator has since been removed).
``api_token_obtain`` checks the password and, for accounts with an authenticator or that hold
keys, the code, counting failures towards django-axes' lockout as the sign-in page does.
"""

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from access.services import client_ip
from accounts.models import ApiToken, User
from accounts.tokens import api_token_by_key, api_token_create, api_token_touch
from accounts.two_factor import has_second_factor, holds_keys, second_factor_check

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    """Read ``Authorization: Token <key>`` and return the token's owner."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as 'Authorization: Token <key>', with no spaces in the key.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        token = api_token_by_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        user = token.user
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if not token.is_usable(timezone.now()):
            raise exceptions.AuthenticationFailed(_("This token has expired: make a new one."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        if not constant_time_compare(token.password_marker, user.get_session_auth_hash()):
            raise exceptions.AuthenticationFailed(
                _("The password changed since this token was made: make a new one.")
            )
        if holds_keys(user) and not (token.second_factor and has_second_factor(user)):
            raise exceptions.PermissionDenied(
                _(
                    "This account must use two-factor sign-in: set up an authenticator app on "
                    'your profile page, then make a new token with a code ("otp").'
                )
            )
        api_token_touch(token)
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describe ``ApiTokenAuthentication`` in the OpenAPI schema, as DRF's token is."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=KEYWORD
        )


def api_token_obtain(
    *, request: Request, username: str, password: str, otp: str = "", name: str = ""
) -> tuple[ApiToken, str]:
    """Return a new token and its key for the account with ``username`` and ``password``.

    Accounts that hold keys, and any account with an authenticator, also give ``otp``: a code
    from the authenticator or an unused recovery code. Raise ``ValidationError`` (field
    ``otp`` for the code) when something is wrong; a wrong code counts as a failed sign-in.
    """
    # DRF's request, as DRF's own token view passes: django-axes then marks a lockout on it,
    # not on the page request, and the API answers 400 rather than the HTML lockout page.
    user = authenticate(request=request, username=username, password=password)  # type: ignore[arg-type]
    if user is None:
        raise ValidationError(
            {"non_field_errors": [_("Unable to log in with provided credentials.")]}
        )
    assert isinstance(user, User)
    has_device = has_second_factor(user)
    if not has_device and holds_keys(user):
        raise ValidationError(
            {
                "otp": [
                    _(
                        "This account must use two-factor sign-in: set up an authenticator app "
                        "on your profile page first."
                    )
                ]
            }
        )
    if has_device:
        if not otp:
            raise ValidationError(
                {
                    "otp": [
                        _(
                            "This account signs in with a second factor: send the code from "
                            'its authenticator app (or a recovery code) as "otp".'
                        )
                    ]
                }
            )
        if second_factor_check(user=user, code=otp, ip_address=client_ip(request)) is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=request
            )
            raise ValidationError({"otp": [_("The code is wrong, or was used already.")]})
    return api_token_create(
        user=user, name=name, second_factor=has_device, ip_address=client_ip(request)
    )
