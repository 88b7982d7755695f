"""The access policy on every surface: every kind of user × access level × state.

Surfaces: the HTML list, detail and download, and the API list, detail and download; on
the detail surfaces, the review trail (reviewers' comments and names) and the link to a file
that failed processing; search (page and API), by its description and by the text extracted
from its file. Derived surfaces: the occurrences API and the Darwin Core Archive export,
the map page's points and extents, the file states and the processing messages of the page
and the API (which quote a cell only to those who may download).

The expectations come from ``expected`` below, written from docs/access-policy.md
independently of ``access.policy``.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from access import policy
from accounts.models import AccountStatus, FocalPoint
from datasets import locations
from datasets.messages import problem
from datasets.models import Occurrence, ReviewDecision
from search import services as search_services
from search.models import SearchDocument
from species.models import Species
from tests.exports.archives import archive_text, body
from tests.factories import DataFileFactory, DatasetFactory, UserFactory
from tests.matrix import found_by_search, module_rows
from tests.two_factor import give_authenticator

#: A word of every dataset's description, and one of the text extracted from its file.
DESCRIPTION_WORD = "zzmatrixabstract"
FILE_TEXT_WORD = "zzmatrixfiletext"
LEVELS = ["public", "registered", "member_states", "country", "restricted"]
#: "superseded": a published version 1 with a published version 2 (its page and files
#: stay, it leaves lists, search and maps); "later_version": a published version 2, every
#: grant given on it held on its version 1 (grants follow the series).
STATES = ["draft", "submitted", "published", "withdrawn", "superseded", "later_version"]
PUBLISHED_STATES = {"published", "superseded", "later_version"}
LISTED_STATES = {"published", "later_version"}
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
    """Return (sees metadata, may download) for ``person``, from docs/access-policy.md alone."""
    published = state in PUBLISHED_STATES
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


def expected_review_and_failed_file(person: str, level: str, state: str) -> tuple[bool, bool]:
    """Return (reads reviewers' comments and names, may fetch a failed file) for ``person``.

    Comments and names: the owner side and the secretariat, wherever they see the dataset.
    A file that failed processing: only those who uploaded it (uploader, collaborators).
    """
    sees, _downloads = expected(person, level, state)
    owner_side = {"uploader", "collaborator", "owner_fp", "co_owner_fp", "secretariat"}
    return sees and person in owner_side, person in {"uploader", "collaborator"}


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """Create the people and one dataset per level × state, once for the module."""
    with module_rows(django_db_blocker):
        people = _people()
        team = Group.objects.create(name="m-team")
        people["group_member"].groups.add(team)
        tiger = Species.objects.get(code="TIGER_AMUR")
        datasets = {
            (level, state): _dataset(people, team, tiger, level, state)
            for level in LEVELS
            for state in STATES
        }
        # The search documents' copies claim the widest: search must ask the live rows.
        SearchDocument.objects.update(published=True, access="public")
        yield people, datasets


def _people() -> dict:
    """Return the cast by role, focal points and secretariat holding their keys."""
    people = {
        "pending": UserFactory(username="m-pending", country_id="KR", status=AccountStatus.PENDING),
        "owner_researcher": UserFactory(username="m-owner-researcher", country_id="KR"),
        "other_researcher": UserFactory(username="m-other-researcher", country_id="JP"),
        "co_owner_researcher": UserFactory(username="m-co-researcher", country_id="MN"),
        "partner": UserFactory(username="m-partner", country_id=None),
        "owner_fp": UserFactory(username="m-owner-fp", country_id="KR"),
        "other_fp": UserFactory(username="m-other-fp", country_id="JP"),
        "co_owner_fp": UserFactory(username="m-co-fp", country_id="MN"),
        "secretariat": UserFactory(username="m-secretariat", country_id=None, is_secretariat=True),
        "uploader": UserFactory(username="m-uploader", country_id="KR"),
        "collaborator": UserFactory(username="m-collaborator", country_id="RU"),
        "grant_holder": UserFactory(username="m-grant", country_id="CN"),
        "expired_grant": UserFactory(username="m-expired", country_id="CN"),
        "revoked_grant": UserFactory(username="m-revoked", country_id="CN"),
        "group_member": UserFactory(username="m-group", country_id="CN"),
    }
    for name, country in [("owner_fp", "KR"), ("other_fp", "JP"), ("co_owner_fp", "MN")]:
        FocalPoint.objects.create(user=people[name], country_id=country)
    for name in ("owner_fp", "other_fp", "co_owner_fp", "secretariat"):
        give_authenticator(people[name])  # those who hold keys sign in with a code
    return people


def _dataset(people: dict, team: Group, tiger: Species, level: str, state: str):
    """Return the dataset of ``level`` × ``state``: a tiger record, a failed file, a review
    comment, and grants live, expired, revoked and to a group."""
    first = None
    if state == "later_version":
        first = DatasetFactory(
            uploader=people["uploader"],
            access_level=level,
            title=f"m-{level}-first",
            superseded_at=timezone.now(),
            co_owners=["MN"],
        )
    dataset = DatasetFactory(
        uploader=people["uploader"],
        access_level=level,
        status="published" if state in PUBLISHED_STATES else state,
        title=f"m-{level}-{state}",
        abstract=f"Camera stations, {DESCRIPTION_WORD}.",
        co_owners=["MN"],
        series=first,
        version=2 if first else 1,
        superseded_at=timezone.now() if state == "superseded" else None,
    )
    if state == "superseded":
        DatasetFactory(
            uploader=people["uploader"],
            access_level=level,
            title=f"m-{level}-current",
            series=dataset,
            version=2,
            co_owners=["MN"],
        )
    dataset.collaborators.add(people["collaborator"])
    dataset.species.add(tiger)
    exact = [131.38761, _exact_latitude(dataset)]
    records = DataFileFactory(
        dataset=dataset,
        state="ready",
        bbox=exact + exact,
        extracted_text=f"Den north of station K7: {FILE_TEXT_WORD}.",
    )
    Occurrence.objects.create(
        dataset=dataset,
        data_file=records,
        species=tiger,
        scientific_name="Panthera tigris altaica",
        latitude=exact[1],
        longitude=131.38761,
        event_date=date(2023, 5, 1),
        row=2,
    )
    locations.generalize_file(records)
    DataFileFactory(
        dataset=dataset,
        original_name="m-unreadable.csv",
        state="failed",
        problems=[problem(7, "latitude", ["decimalLatitude"], ["m-cell-91.7"])],
    )
    fp = people["owner_fp"]
    ReviewDecision.objects.create(
        dataset=dataset,
        review_round=1,
        country_id="KR",
        decider=fp,
        decision="approve",
        comment="m-den-300m-north",
    )
    later = timezone.now() + timedelta(days=30)
    policy.grant(dataset=dataset, user=people["grant_holder"], until=later, granted_by=fp)
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
    if first is not None:
        assert set(dataset.grants.all()) == set()  # held on the first version
    search_services.dataset_index(dataset)
    return dataset


def _exact_latitude(dataset) -> float:
    """Return a latitude of the dataset's tiger that only its exact form can show."""
    # 60 values: the matrix holds more than 30 datasets (versions add rows).
    return round(43.21013 + (dataset.pk % 60) / 2000, 5)  # always in the cell of 43.2


def expected_location(person: str, level: str, state: str) -> str:
    """Return how ``person`` gets the dataset's tiger from the occurrences API."""
    sees, downloads = expected(person, level, state)
    if not sees:
        return "nothing"
    return "exact" if downloads else "generalized"


def _location(features: list[dict], dataset) -> str:
    coordinates = [f["geometry"]["coordinates"] for f in features if f["geometry"]]
    if coordinates == [[131.38761, _exact_latitude(dataset)]]:
        return "exact"
    if coordinates == [[131.4, 43.2]]:
        return "generalized"
    return "nothing" if not coordinates else f"unexpected {coordinates}"


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
def test_every_surface_obeys_the_policy_for_every_level_and_state(client, cast, person):
    people, datasets = cast
    if person != "visitor":
        client.force_login(people[person])
    api_listed = {item["title"] for item in _all_pages(client, "/api/v1/datasets/")}
    html_list = client.get("/data/", {"q": "m-"}).content.decode()
    map_page = client.get("/map/").content.decode()
    found = {
        word: found_by_search(client, word, kind="dataset", pages="/data/")
        for word in (DESCRIPTION_WORD, FILE_TEXT_WORD)
    }
    nowhere = (False, False)
    mismatches = []
    for (level, state), dataset in datasets.items():
        sees, downloads = expected(person, level, state)
        file_id = dataset.files.exclude(state="failed").get().pk
        failed_id = dataset.files.get(state="failed").pk
        responses = {
            "api detail": client.get(f"/api/v1/datasets/{dataset.pk}/"),
            "api download": client.get(f"/api/v1/files/{file_id}/download/"),
            "api failed download": client.get(f"/api/v1/files/{failed_id}/download/"),
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
        _reads_review, fetches_failed = expected_review_and_failed_file(person, level, state)
        wanted["api failed download"] = 200 if fetches_failed else 404
        listed = sees and state in LISTED_STATES
        actual["api list"] = dataset.title in api_listed
        actual["html list"] = f">{dataset.title}<" in html_list
        wanted["api list"] = wanted["html list"] = listed
        # Search lists what lists list; its file text is found by those who may download it.
        actual["found by its description"] = found[DESCRIPTION_WORD].get(dataset.pk, nowhere)
        wanted["found by its description"] = (listed, listed)
        actual["found by its file text"] = found[FILE_TEXT_WORD].get(dataset.pk, nowhere)
        wanted["found by its file text"] = (listed and downloads, listed and downloads)
        if sees:
            _add_details(actual, wanted, responses, failed_id, downloads, person, level, state)
        # Derived surfaces: locations and messages.
        occurrences = client.get("/api/v1/occurrences/", {"dataset": dataset.pk}).json()
        actual["occurrences"] = _location(occurrences["features"], dataset)
        wanted["occurrences"] = expected_location(person, level, state)
        actual["map exact point"] = f"{_exact_latitude(dataset)}" in map_page
        wanted["map exact point"] = listed and downloads
        actual["map extent"] = f'"id": {dataset.pk},' in map_page
        wanted["map extent"] = listed
        actual["dwca export"] = _export_location(
            client.get(f"/api/v1/datasets/{dataset.pk}/export/dwca/"), dataset
        )
        wanted["dwca export"] = expected_location(person, level, state)
        actual["camtrap-dp export"] = _camtrap_location(
            client.get(f"/api/v1/datasets/{dataset.pk}/export/camtrap-dp/"), dataset
        )
        wanted["camtrap-dp export"] = expected_location(person, level, state)
        states = client.get(f"/data/{dataset.pk}/files/states/")
        actual["file states"] = (states.status_code, "m-cell-91.7" in states.content.decode())
        wanted["file states"] = (200 if sees else 404, sees and downloads)
        if actual != wanted:
            differ = {key: (actual.get(key), wanted.get(key)) for key in actual | wanted}
            differ = {key: pair for key, pair in differ.items() if pair[0] != pair[1]}
            mismatches.append((level, state, differ))
    assert mismatches == []


def _add_details(actual, wanted, responses, failed_id, downloads, person, level, state) -> None:
    """Add to ``actual`` and ``wanted`` what the detail surfaces show of a visible dataset:
    the download flag, the review trail, the failed file, the cells messages quote."""
    reads_review, fetches_failed = expected_review_and_failed_file(person, level, state)
    body = responses["api detail"].json()
    actual["can_download"] = body["can_download"]
    wanted["can_download"] = downloads
    (decision,) = body["decisions"]
    actual["api decision"] = (decision["country"], decision["decision"])
    wanted["api decision"] = ("KR", "approve")
    actual["api review"] = (decision["decider"], decision["comment"])
    wanted["api review"] = ("m-owner-fp", "m-den-300m-north") if reads_review else (None, None)
    html = responses["html detail"].content.decode()
    actual["html review"] = ("m-owner-fp" in html, "m-den-300m-north" in html)
    wanted["html review"] = (reads_review, reads_review)
    urls = {item["name"]: item["download_url"] for item in body["files"]}
    actual["api failed url"] = urls["m-unreadable.csv"] is not None
    actual["html failed link"] = f"/data/files/{failed_id}/download/" in html
    wanted["api failed url"] = wanted["html failed link"] = fetches_failed
    actual["messages quote the cell"] = (
        "m-cell-91.7" in html,
        "m-cell-91.7" in responses["api detail"].content.decode(),
    )
    wanted["messages quote the cell"] = (downloads, downloads)


def _export_location(response, dataset) -> str:
    """Return how a Darwin Core Archive export gives the dataset's tiger (or "nothing")."""
    if response.status_code == 404:
        return "nothing"
    text = archive_text(body(response))
    lines = [line.split("\t") for line in text.splitlines() if "Panthera tigris" in line]
    points = {(line[4], line[5]) for line in lines if len(line) > 5}
    if points == {(repr(_exact_latitude(dataset)), "131.38761")}:
        return "exact"
    if points == {("43.2", "131.4")} and str(_exact_latitude(dataset)) not in text:
        return "generalized"
    return f"unexpected {points}"


def _camtrap_location(response, dataset) -> str:
    """Return how a Camtrap DP export gives the dataset's tiger's station (or "nothing")."""
    if response.status_code == 404:
        return "nothing"
    text = archive_text(body(response))
    stations = {tuple(line.split(",")[3:5]) for line in text.splitlines() if line.startswith("s")}
    if stations == {(repr(_exact_latitude(dataset)), "131.38761")}:
        return "exact"
    if stations == {("43.2", "131.4")} and str(_exact_latitude(dataset)) not in text:
        return "generalized"
    return f"unexpected {stations}"


def _all_pages(client, url):
    items = []
    while url:
        body = client.get(url).json()
        items.extend(body["results"])
        url = body["next"]
    return items
