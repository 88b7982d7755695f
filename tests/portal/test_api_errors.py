"""The services' errors reach API clients as 400, 403, 404 and 409, whatever view raised them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from datasets.models import Dataset
from neaspec_portal.api_errors import Conflict


def _answer(error: Exception):
    class Failing(APIView):
        permission_classes = ()
        authentication_classes = ()

        def get(self, request):
            raise error

    return Failing.as_view()(APIRequestFactory().get("/api/v1/anything/"))


def test_it_maps_a_validation_error_to_400_with_its_messages():
    response = _answer(ValidationError("Give the title."))
    assert (response.status_code, response.data) == (400, {"detail": ["Give the title."]})


def test_it_names_the_fields_a_service_named():
    response = _answer(ValidationError({"title": "Give the title.", "__all__": "Not now."}))
    assert response.status_code == 400
    assert response.data == {"title": ["Give the title."], "detail": ["Not now."]}


def test_it_maps_permission_denied_to_403():
    response = _answer(PermissionDenied("Only the uploader may do that."))
    assert (response.status_code, str(response.data["detail"])) == (
        403,
        "Only the uploader may do that.",
    )


@pytest.mark.django_db
def test_it_maps_a_missing_row_to_404():
    response = _answer(Dataset.DoesNotExist())
    assert response.status_code == 404


def test_it_maps_a_conflict_to_409_with_what_resolves_it():
    response = _answer(Conflict("The DOI is already in the library.", {"duplicates": [3]}))
    assert (response.status_code, response.data) == (
        409,
        {"detail": "The DOI is already in the library.", "duplicates": [3]},
    )
