"""The review trail on the dataset page and in the API: who decided and why, for whom.

Everyone who sees a dataset sees which country decided what, and when. Reviewers' comments
("the den is 300 m north of the station") and names only reach the owner side — uploader,
collaborators, focal points of the owner and co-owner countries — and the secretariat.
"""

import pytest

from accounts.models import User
from datasets.models import ReviewDecision
from tests.factories import DatasetFactory, FocalPointFactory, UserFactory

COMMENT = "The den is 300 m north of station 4; keep the restricted level."
OWNER_SIDE = {"uploader", "collaborator", "focal_point_a", "co_owner_focal_point", "secretariat"}
PEOPLE = ["visitor", "researcher_b", "focal_point_b", *sorted(OWNER_SIDE)]


@pytest.fixture
def reviewed(researcher_a, focal_point_a):
    """Return a published public dataset of KR co-owned by RU, approved by both countries."""
    focal_point_a.first_name, focal_point_a.last_name = "Minji", "Kim"
    focal_point_a.save()
    co_owner_fp = FocalPointFactory(username="focal-ru", country_id="RU", first_name="Ivan")
    dataset = DatasetFactory(
        uploader=researcher_a, access_level="public", co_owners=["RU"], review_round=1
    )
    dataset.collaborators.add(UserFactory(username="collaborator", country_id="JP"))
    ReviewDecision.objects.create(
        dataset=dataset,
        review_round=1,
        country_id="KR",
        decider=focal_point_a,
        decision="approve",
        comment=COMMENT,
    )
    ReviewDecision.objects.create(
        dataset=dataset, review_round=1, country_id="RU", decider=co_owner_fp, decision="approve"
    )
    return dataset


def _sign_in(client, who, request, dataset):
    if who == "visitor":
        return
    users = {
        "uploader": dataset.uploader,
        "collaborator": dataset.collaborators.get(),
        "co_owner_focal_point": User.objects.get(username="focal-ru"),
    }
    client.force_login(users[who] if who in users else request.getfixturevalue(who))


@pytest.mark.parametrize("who", PEOPLE)
def test_the_page_shows_comments_and_reviewers_to_the_owner_side_only(
    client, reviewed, who, request
):
    _sign_in(client, who, request, reviewed)
    content = client.get(reviewed.get_absolute_url()).content.decode()
    assert "Review history" in content
    assert "<strong>Approve</strong> · Republic of Korea" in content
    assert "<strong>Approve</strong> · Russian Federation" in content
    reads = who in OWNER_SIDE
    assert ("The den is 300 m north of station 4" in content) is reads
    assert ("Minji Kim" in content) is reads
    assert ("Ivan" in content) is reads


@pytest.mark.parametrize("who", PEOPLE)
def test_the_api_gives_comments_and_reviewers_to_the_owner_side_only(
    client, reviewed, who, request
):
    _sign_in(client, who, request, reviewed)
    body = client.get(f"/api/v1/datasets/{reviewed.pk}/").json()
    trail = [
        (item["country"], item["decision"], item["review_round"], item["decider"], item["comment"])
        for item in body["decisions"]
    ]
    if who in OWNER_SIDE:
        assert trail == [
            ("KR", "approve", 1, "focal-a", COMMENT),
            ("RU", "approve", 1, "focal-ru", ""),
        ]
    else:
        assert trail == [("KR", "approve", 1, None, None), ("RU", "approve", 1, None, None)]
    assert all(item["at"] for item in body["decisions"])


def test_lists_carry_no_review_trail(client, reviewed, researcher_a):
    client.force_login(researcher_a)
    for params in ({}, {"mine": "1"}):
        (item,) = client.get("/api/v1/datasets/", params).json()["results"]
        assert "decisions" not in item
        assert COMMENT not in str(item)


def test_a_request_for_changes_reaches_the_uploader_through_the_api(
    client, researcher_a, focal_point_a, researcher_b
):
    dataset = DatasetFactory(uploader=researcher_a, status="submitted", review_round=1)
    client.force_login(focal_point_a)
    answer = client.post(
        f"/api/v1/datasets/{dataset.pk}/review/",
        {"decision": "request_changes", "comment": COMMENT},
        content_type="application/json",
    )
    assert answer.json()["decisions"][0]["comment"] == COMMENT
    client.force_login(researcher_a)
    (decision,) = client.get(f"/api/v1/datasets/{dataset.pk}/").json()["decisions"]
    assert (decision["decision"], decision["decider"], decision["comment"]) == (
        "request_changes",
        "focal-a",
        COMMENT,
    )
    client.force_login(researcher_b)
    assert client.get(f"/api/v1/datasets/{dataset.pk}/").status_code == 404
