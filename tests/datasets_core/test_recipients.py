"""Who is told: the people asked to act on an account, a publication or an access request.

The services send their notices to whom the policy names, so the policy is asked directly.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from access import policy
from datasets.models import AccessRequest
from publications.models import Publication
from tests.factories import DatasetFactory, UserFactory


def _publication(uploader, country):
    return Publication.objects.create(
        type="report",
        title="Tiger corridors",
        year=2024,
        language="en",
        uploader=uploader,
        owner_country_id=country,
    )


@pytest.mark.parametrize("country", ["KR", None, "JP"])
def test_it_tells_the_countrys_focal_points_else_the_secretariat_of_a_new_account(
    country, focal_point_a, focal_point_b, secretariat, django_assert_num_queries
):
    account = UserFactory(username="newcomer", country_id=country, status="pending")
    # Expect 1 query for KR (its focal points); 1 for no country (the secretariat); 2 for
    # JP, which has no focal point yet (none found, then the secretariat).
    with django_assert_num_queries(2 if country == "JP" else 1):
        verifiers = policy.account_verifiers(account)

    assert verifiers == ([focal_point_a] if country == "KR" else [secretariat])


def test_it_tells_the_secretariat_and_the_countrys_focal_points_of_a_publication(
    researcher_a, focal_point_a, focal_point_b, secretariat, django_assert_num_queries
):
    publication = _publication(researcher_a, "KR")

    # Expect 2 queries: the secretariat, then the country's appointments with their users.
    with django_assert_num_queries(2):
        reviewers = policy.publication_reviewers(publication)

    assert set(reviewers) == {focal_point_a, secretariat}


def test_it_never_asks_the_uploader_to_review_their_own_publication(focal_point_a, secretariat):
    publication = _publication(focal_point_a, "KR")

    assert policy.publication_reviewers(publication) == [secretariat]


def test_it_tells_only_the_owner_countrys_focal_points_of_an_access_request(
    researcher_a, focal_point_a, focal_point_b, secretariat, django_assert_num_queries
):
    dataset = DatasetFactory(uploader=researcher_a, owner_country_id="KR")

    # Expect 1 query: the owner country's appointments with their users.
    with django_assert_num_queries(1):
        answerers = policy.access_request_answerers(dataset)

    assert answerers == [focal_point_a]


def test_it_gives_a_user_only_their_own_pending_request(researcher_a, researcher_b, visitor):
    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted")
    request = AccessRequest.objects.create(
        dataset=dataset,
        requester=researcher_b,
        purpose="Corridor study",
        wanted_until=timezone.localdate() + timedelta(days=90),
    )

    assert policy.own_pending_request(researcher_b, dataset) == request
    assert policy.own_pending_request(researcher_a, dataset) is None
    assert policy.own_pending_request(visitor, dataset) is None
