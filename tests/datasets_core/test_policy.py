"""The access policy of datasets, asked directly: who sees metadata, who downloads."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils import timezone

from access import policy
from tests.factories import DataFileFactory, DatasetFactory, UserFactory


@pytest.fixture
def dataset(researcher_a):
    return DatasetFactory(uploader=researcher_a, access_level="restricted")


def _in_year():
    return timezone.now() + timedelta(days=365)


def test_it_lets_nobody_download_a_restricted_dataset_by_level(
    dataset, visitor, researcher_b, partner, secretariat, pending
):
    for user in [visitor, researcher_b, partner, secretariat, pending]:
        assert not policy.can_download(user, dataset), user


def test_it_lets_the_uploader_and_owner_focal_point_download(dataset, researcher_a, focal_point_a):
    assert policy.can_download(researcher_a, dataset)
    assert policy.can_download(focal_point_a, dataset)


def test_a_co_owner_focal_point_downloads_and_another_does_not(dataset, focal_point_b):
    assert not policy.can_download(focal_point_b, dataset)
    dataset.co_owner_countries.set(["MN"])
    assert policy.can_download(focal_point_b, dataset)


def test_a_collaborator_downloads_even_an_unpublished_dataset(dataset, researcher_b):
    dataset.status = "draft"
    dataset.save()
    assert not policy.visible_datasets(researcher_b).filter(pk=dataset.pk).exists()
    dataset.collaborators.add(researcher_b)
    assert policy.can_download(researcher_b, dataset)
    assert policy.access_dataset(researcher_b, dataset.pk) == dataset


def test_a_grant_works_until_it_is_revoked(dataset, researcher_b, focal_point_a):
    grant = policy.grant(
        dataset=dataset, user=researcher_b, until=_in_year(), granted_by=focal_point_a
    )
    assert policy.can_download(researcher_b, dataset)
    policy.revoke(grant_row=grant, revoked_by=focal_point_a)
    assert not policy.can_download(researcher_b, dataset)


def test_an_expired_grant_stops_working_without_any_cleanup(dataset, researcher_b, focal_point_a):
    policy.grant(
        dataset=dataset,
        user=researcher_b,
        until=timezone.now() - timedelta(seconds=1),
        granted_by=focal_point_a,
    )
    assert not policy.can_download(researcher_b, dataset)
    assert policy.expire_grants() == 1
    assert not policy.can_download(researcher_b, dataset)


def test_a_grant_to_a_group_reaches_its_members_only(dataset, researcher_b, partner, focal_point_a):
    team = Group.objects.create(name="Dauria crane team")
    researcher_b.groups.add(team)
    policy.grant(dataset=dataset, group=team, until=_in_year(), granted_by=focal_point_a)
    assert policy.can_download(researcher_b, dataset)
    assert not policy.can_download(partner, dataset)


def test_a_second_grant_survives_revoking_the_first(dataset, researcher_b, focal_point_a):
    first = policy.grant(
        dataset=dataset, user=researcher_b, until=_in_year(), granted_by=focal_point_a
    )
    policy.grant(dataset=dataset, user=researcher_b, until=_in_year(), granted_by=focal_point_a)
    policy.revoke(grant_row=first, revoked_by=focal_point_a)
    assert policy.can_download(researcher_b, dataset)


def test_grants_count_only_while_published(dataset, researcher_b, focal_point_a):
    policy.grant(dataset=dataset, user=researcher_b, until=_in_year(), granted_by=focal_point_a)
    dataset.status = "withdrawn"
    dataset.save()
    assert not policy.can_download(researcher_b, dataset)
    with pytest.raises(Http404):
        policy.access_dataset(researcher_b, dataset.pk)


@pytest.mark.parametrize(
    ("level", "allowed"),
    [
        ("public", {"visitor", "pending", "researcher_b", "partner", "secretariat"}),
        ("registered", {"researcher_b", "partner", "secretariat"}),
        ("member_states", {"researcher_b"}),
        ("country", set()),
        ("restricted", set()),
    ],
)
def test_the_access_level_decides_for_everyone_else(
    level, allowed, researcher_a, visitor, pending, researcher_b, partner, secretariat
):
    dataset = DatasetFactory(uploader=researcher_a, access_level=level)
    cast = {
        "visitor": visitor,
        "pending": pending,
        "researcher_b": researcher_b,
        "partner": partner,
        "secretariat": secretariat,
    }
    assert {name for name, user in cast.items() if policy.can_download(user, dataset)} == allowed


def test_the_country_level_admits_researchers_of_the_owner_country(researcher_a):
    colleague = UserFactory(username="colleague", country_id="KR")
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    assert policy.can_download(colleague, dataset)


def test_unpublished_metadata_is_hidden_from_everyone_but_its_people(
    researcher_a, researcher_b, focal_point_a, focal_point_b, secretariat, visitor
):
    dataset = DatasetFactory(uploader=researcher_a, status="submitted", access_level="public")
    seen = {
        name
        for name, user in {
            "researcher_a": researcher_a,
            "researcher_b": researcher_b,
            "focal_point_a": focal_point_a,
            "focal_point_b": focal_point_b,
            "secretariat": secretariat,
            "visitor": visitor,
        }.items()
        if policy.visible_datasets(user).filter(pk=dataset.pk).exists()
    }
    assert seen == {"researcher_a", "focal_point_a", "secretariat"}
    assert not policy.can_download(secretariat, dataset)
    assert not policy.can_download(visitor, dataset)


def test_a_file_of_a_forbidden_dataset_answers_404(dataset, researcher_b, researcher_a):
    data_file = DataFileFactory(dataset=dataset)
    with pytest.raises(Http404):
        policy.access_data_file(researcher_b, data_file.pk)
    with pytest.raises(Http404):
        policy.access_data_file(researcher_b, 999_999)
    assert policy.access_data_file(researcher_a, data_file.pk) == data_file


def test_the_list_counts_queries_independently_of_grants(
    researcher_a, researcher_b, focal_point_a, django_assert_num_queries
):
    datasets = [DatasetFactory(uploader=researcher_a, access_level="restricted") for _ in range(5)]
    for dataset in datasets:
        policy.grant(dataset=dataset, user=researcher_b, until=_in_year(), granted_by=focal_point_a)
    researcher_b = type(researcher_b).objects.get(pk=researcher_b.pk)
    # Expect 2 queries: the focal-point lookup of the user, then one list query with the
    # download decision computed in SQL for every row.
    with django_assert_num_queries(2):
        rows = list(policy.listed_datasets(researcher_b))
    assert len(rows) == 5
    assert all(row.can_download for row in rows)


def test_audit_events_are_read_by_the_secretariat_and_their_countrys_focal_points(
    dataset, researcher_a, focal_point_a, focal_point_b, secretariat
):
    from access.services import audit_record

    event = audit_record(actor=researcher_a, action="file.download", obj=dataset, country="KR")
    assert event in policy.visible_audit_events(secretariat)
    assert event in policy.visible_audit_events(focal_point_a)
    assert event not in policy.visible_audit_events(focal_point_b)
    assert not policy.visible_audit_events(researcher_a).exists()


def test_the_soonest_live_grant_counts_own_and_group_grants_only_while_live(
    researcher_a, researcher_b, focal_point_a, visitor
):
    from datasets.models import AccessGrant

    now = timezone.now()
    group = Group.objects.create(name="Partners of the survey")

    def grant_row(days, **holder):
        return AccessGrant.objects.create(
            dataset=DatasetFactory(uploader=researcher_a, access_level="restricted"),
            granted_by=focal_point_a,
            expires_at=now + timedelta(days=days),
            **holder,
        )

    assert policy.next_grant_expiry(researcher_b) is None
    grant_row(-1, user=researcher_b)  # expired
    revoked = grant_row(1, user=researcher_b)
    revoked.revoked_at = now
    revoked.save()
    assert policy.next_grant_expiry(researcher_b) is None
    ten_days = grant_row(10, user=researcher_b)
    grant_row(30, user=researcher_b)
    grant_row(3, user=researcher_a)  # someone else's
    five_days = grant_row(5, group=group)
    assert policy.next_grant_expiry(researcher_b) == ten_days.expires_at
    researcher_b.groups.add(group)
    assert policy.next_grant_expiry(researcher_b) == five_days.expires_at
    assert policy.next_grant_expiry(visitor) is None
