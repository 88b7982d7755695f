"""REST API of a researcher's own access and of the uploader's part in answering requests.

``GET me/access-requests/`` and ``GET me/grants/``: the caller's requests (pending, granted
until, declined with the reason) and current grants. ``POST access-requests/{id}/recommend/``:
the uploader of the dataset recommends granting or declining. ``POST
datasets/{id}/delegate-access/``: a focal point of the owner country lets the uploader answer.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from access import policy
from datasets import access_services
from datasets.models import Recommendation, RequestStatus


class DatasetLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="display_title")
    url = serializers.SerializerMethodField()

    def get_url(self, dataset) -> str:
        return dataset.get_absolute_url()


class MyAccessRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = DatasetLinkSerializer()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    created_at = serializers.DateTimeField()
    wanted_until = serializers.DateField()
    decided_at = serializers.DateTimeField(allow_null=True)
    granted_until = serializers.SerializerMethodField()
    decline_reason = serializers.SerializerMethodField()

    def get_granted_until(self, item) -> str | None:
        if item.status != RequestStatus.GRANTED or item.grant is None:
            return None
        return serializers.DateTimeField().to_representation(item.grant.expires_at)

    def get_decline_reason(self, item) -> str | None:
        return item.decision_reason if item.status == RequestStatus.DECLINED else None


class MyGrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = DatasetLinkSerializer()
    group = serializers.CharField(source="group.name", allow_null=True, default=None)
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class RecommendSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=[Recommendation.GRANT, Recommendation.DECLINE])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recommendation = serializers.CharField()
    recommendation_comment = serializers.CharField()
    recommended_at = serializers.DateTimeField()


class DelegateSerializer(serializers.Serializer):
    uploader_answers = serializers.BooleanField(
        help_text="True: the uploader answers the dataset's access requests too."
    )


class MyAccessRequestsView(generics.ListAPIView):
    """The caller's access requests, newest first."""

    serializer_class = MyAccessRequestSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return policy.own_access_requests(self.request.user)


class MyGrantsView(generics.ListAPIView):
    """The caller's current grants, direct or through a group, the soonest to end first."""

    serializer_class = MyGrantSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return policy.own_grants(self.request.user)


class RecommendView(APIView):
    """The uploader recommends granting or declining a pending request on their dataset."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RecommendSerializer, responses=RecommendationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        body = RecommendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access_request = policy.access_request_to_recommend(request.user, pk)
        recommended = access_services.access_request_recommend(
            actor=request.user, access_request=access_request, **body.validated_data
        )
        return Response(RecommendationSerializer(recommended).data)


class DelegateView(APIView):
    """A focal point of the owner country lets the uploader answer access requests, or not."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DelegateSerializer, responses=DelegateSerializer)
    def post(self, request: Request, pk: int) -> Response:
        body = DelegateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dataset = policy.access_dataset(request.user, pk)
        dataset = access_services.dataset_access_delegate(
            actor=request.user,
            dataset=dataset,
            uploader_answers=body.validated_data["uploader_answers"],
        )
        return Response({"uploader_answers": dataset.uploader_answers_requests})


urlpatterns = [
    path("me/access-requests/", MyAccessRequestsView.as_view(), name="my-access-requests"),
    path("me/grants/", MyGrantsView.as_view(), name="my-grants"),
    path(
        "access-requests/<int:pk>/recommend/",
        RecommendView.as_view(),
        name="access-request-recommend",
    ),
    path("datasets/<int:pk>/delegate-access/", DelegateView.as_view(), name="dataset-delegate"),
]
