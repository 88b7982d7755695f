"""API of accounts: who am I."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from access import policy
from accounts.models import User


class MeSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", allow_null=True)
    focal_point_for = serializers.SerializerMethodField()
    is_secretariat = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "country",
            "organisation",
            "status",
            "focal_point_for",
            "is_secretariat",
        ]

    def get_focal_point_for(self, user: User) -> list[str]:
        return sorted(policy.focal_point_countries(user))

    def get_is_secretariat(self, user: User) -> bool:
        return policy.is_secretariat(user)


class MeView(APIView):
    """Return the signed-in account with its roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
