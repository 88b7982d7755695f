"""``/api/v1/auth/token/``: make a token (POST) and revoke the one in use (DELETE)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from access.services import client_ip
from accounts.authentication import ApiTokenAuthentication, api_token_obtain
from accounts.models import ApiToken
from accounts.tokens import api_token_revoke


class TokenCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_(
            "A code from the account's authenticator app, or an unused recovery code. Required "
            "for focal points, the secretariat, administrators and anyone with two-factor "
            "sign-in on."
        ),
    )
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("What the token is for; shown on the profile page."),
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The key; it is shown only this once."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    """Make an API token from a username, password and code; revoke the token in use."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [AllowAny]

    def perform_authentication(self, request: Request) -> None:
        # Making a token needs no earlier one: a stale header must not stand in the way.
        if request.method != "POST":
            super().perform_authentication(request)

    # auth=[]: making a token reads no credentials but those in the body (no 401 or 403).
    @extend_schema(request=TokenCreateSerializer, responses={200: TokenResponseSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            token, key = api_token_obtain(
                request=request,
                username=data["username"],
                password=data["password"],
                otp=data.get("otp", ""),
                name=data.get("name", ""),
            )
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        return Response({"token": key, "name": token.name, "expires_at": token.expires_at})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(
                _("Send the token to revoke as 'Authorization: Token <key>'.")
            )
        api_token_revoke(token=request.auth, actor=request.auth.user, ip_address=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
