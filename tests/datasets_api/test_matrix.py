"""The access policy on every surface: every kind of user × access level × state.

Surfaces: the HTML list, detail and download, and the API list, detail and download.

The expectations come from ``expected`` below, written from PRODUCT.md §3 independently
of ``access.policy``.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from access import policy
from accounts.models import AccountStatus, FocalPoint
from tests.factories import DataFileFactory, DatasetFactory, UserFactory

LEVELS = ["public", "registered", "member_states", "country", "restricted"]
STATES = ["draft", "submitted", "published", "withdrawn"]
PEOPLE = [
    "visitor",
    "pending",
    "owner_researcher",
    "co_owner_researcher",
    "other_researcher",
    "partner",
    "owner_fp",
    "other_fp",
    "co_owner_fp",
    "secretariat",
    "uploader",
    "collaborator",
    "grant_holder",
    "expired_grant",
    "revoked_grant",
    "group_member",
]


def expected(person: str, level: str, state: str) -> tuple[bool, bool]:
    """Return (sees metadata, may download) for ``person``, from PRODUCT.md §3 alone."""
    published = state == "published"
    insiders = {"uploader", "collaborator", "owner_fp", "co_owner_fp"}
    sees = published or person in insiders or person == "secretariat"
    if person in insiders:
        return sees, True
    if not published:
        return sees, False
    verified = person not in {"visitor", "pending"}
    member_state = verified and person not in {"partner", "secretariat"}
    by_level = {
        "public": True,
        "registered": verified,
        "member_states": member_state,
        "country": person == "owner_researcher",
        "restricted": False,
    }[level]
    granted = person in {"grant_holder", "group_member"}
    return sees, by_level or granted


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """Create the people and one dataset per level × state, once for the module."""
    with django_db_blocker.unblock():
        from django.db import transaction

        transaction.set_autocommit(True)
        people = {
            "pending": UserFactory(
                username="m-pending", country_id="KR", status=AccountStatus.PENDING
            ),
            "owner_researcher": UserFactory(username="m-owner-researcher", country_id="KR"),
            "other_researcher": UserFactory(username="m-other-researcher", country_id="JP"),
            "co_owner_researcher": UserFactory(username="m-co-researcher", country_id="MN"),
            "partner": UserFactory(username="m-partner", country_id=None),
            "owner_fp": UserFactory(username="m-owner-fp", country_id="KR"),
            "other_fp": UserFactory(username="m-other-fp", country_id="JP"),
            "co_owner_fp": UserFactory(username="m-co-fp", country_id="MN"),
            "secretariat": UserFactory(
                username="m-secretariat", country_id=None, is_secretariat=True
            ),
            "uploader": UserFactory(username="m-uploader", country_id="KR"),
            "collaborator": UserFactory(username="m-collaborator", country_id="RU"),
            "grant_holder": UserFactory(username="m-grant", country_id="CN"),
            "expired_grant": UserFactory(username="m-expired", country_id="CN"),
            "revoked_grant": UserFactory(username="m-revoked", country_id="CN"),
            "group_member": UserFactory(username="m-group", country_id="CN"),
        }
        for name, country in [("owner_fp", "KR"), ("other_fp", "JP"), ("co_owner_fp", "MN")]:
            FocalPoint.objects.create(user=people[name], country_id=country)
        team = Group.objects.create(name="m-team")
        people["group_member"].groups.add(team)
        later = timezone.now() + timedelta(days=30)
        datasets = {}
        for level in LEVELS:
            for state in STATES:
                dataset = DatasetFactory(
                    uploader=people["uploader"],
                    access_level=level,
                    status=state,
                    title=f"m-{level}-{state}",
                    co_owners=["MN"],
                )
                dataset.collaborators.add(people["collaborator"])
                DataFileFactory(dataset=dataset)
                fp = people["owner_fp"]
                policy.grant(
                    dataset=dataset, user=people["grant_holder"], until=later, granted_by=fp
                )
                policy.grant(dataset=dataset, group=team, until=later, granted_by=fp)
                policy.grant(
                    dataset=dataset,
                    user=people["expired_grant"],
                    until=timezone.now() - timedelta(hours=1),
                    granted_by=fp,
                )
                revoked = policy.grant(
                    dataset=dataset, user=people["revoked_grant"], until=later, granted_by=fp
                )
                policy.revoke(grant_row=revoked, revoked_by=fp)
                datasets[(level, state)] = dataset
        yield people, datasets
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        from species.services import reference_data_load

        reference_data_load()


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
def test_every_surface_obeys_the_policy_for_every_level_and_state(client, cast, person):
    people, datasets = cast
    if person != "visitor":
        client.force_login(people[person])
    api_listed = {item["title"] for item in _all_pages(client, "/api/v1/datasets/")}
    html_list = client.get("/data/", {"q": "m-"}).content.decode()
    mismatches = []
    for (level, state), dataset in datasets.items():
        sees, downloads = expected(person, level, state)
        file_id = dataset.files.get().pk
        responses = {
            "api detail": client.get(f"/api/v1/datasets/{dataset.pk}/"),
            "api download": client.get(f"/api/v1/files/{file_id}/download/"),
            "html detail": client.get(f"/data/{dataset.pk}/"),
            "html download": client.get(f"/data/files/{file_id}/download/"),
        }
        actual = {name: response.status_code for name, response in responses.items()}
        wanted = {
            "api detail": 200 if sees else 404,
            "api download": 200 if downloads else 404,
            "html detail": 200 if sees else 404,
            "html download": 200 if downloads else 404,
        }
        listed = sees and state == "published"
        actual["api list"] = dataset.title in api_listed
        actual["html list"] = f">{dataset.title}<" in html_list
        wanted["api list"] = wanted["html list"] = listed
        if sees:
            actual["can_download"] = responses["api detail"].json()["can_download"]
            wanted["can_download"] = downloads
        if actual != wanted:
            mismatches.append((level, state, actual, wanted))
    assert mismatches == []


def _all_pages(client, url):
    items = []
    while url:
        body = client.get(url).json()
        items.extend(body["results"])
        url = body["next"]
    return items
