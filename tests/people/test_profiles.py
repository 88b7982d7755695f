"""Public profiles: opt-in, 404 everywhere while private, ORCID checked, authors linked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from access import policy
from access.models import AuditEvent
from accounts.models import AccountStatus
from people import rules, services
from people.models import Profile
from publications import services as publication_services
from publications.demo import seed_library
from publications.models import Event
from species.models import Country, Species, Theme
from tests.factories import UserFactory


def _profile(user, **fields) -> Profile:
    values = {"is_public": True, "display_name": f"Dr {user.username}"}
    return services.profile_save(actor=user, **{**values, **fields})


@pytest.fixture
def public(researcher_a):
    return _profile(
        researcher_a,
        display_name="Kim Min-ji",
        country=Country.objects.get(code="KR"),
        species=[Species.objects.get(code="BF_SPOONBILL")],
        expertise=[Theme.objects.get(code="habitat-loss")],
        languages=["ko", "en"],
        orcid="https://orcid.org/0000-0002-1825-0097",
    )


@pytest.fixture
def private(researcher_b):
    return _profile(researcher_b, is_public=False, display_name="Bold Batbayar")


# --- ORCID -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]
)
def test_it_accepts_real_orcid_ids(value):
    assert rules.orcid_error(value) is None


@pytest.mark.parametrize(
    "value",
    ["0000-0002-1825-0098", "0000-0002-1825-009", "0000000218250097", "abcd-0002-1825-0097"],
)
def test_it_refuses_a_bad_orcid_with_a_reason(value):
    assert rules.orcid_error(rules.orcid_normalize(value))


def test_it_normalizes_the_orcid_address_and_refuses_a_typo(researcher_a):
    profile = _profile(researcher_a, orcid=" https://orcid.org/0000-0002-1694-233x ")
    assert profile.orcid == "0000-0002-1694-233X"
    with pytest.raises(ValidationError) as refused:
        _profile(researcher_a, orcid="0000-0002-1825-0098")
    assert "checksum" in str(refused.value.error_dict["orcid"])


def test_unknown_languages_are_refused(researcher_a):
    with pytest.raises(ValidationError) as refused:
        _profile(researcher_a, languages=["ko", "klingon"])
    assert "languages" in refused.value.error_dict


# --- Opt-in and the policy ---------------------------------------------------------------


def test_a_profile_is_private_by_default(client, researcher_a):
    profile = services.profile_save(actor=researcher_a, display_name="Kim")
    assert profile.is_public is False
    assert client.get(reverse("people:detail", args=[profile.pk])).status_code == 404


def test_a_pending_account_has_no_profile(pending):
    with pytest.raises(PermissionDenied):
        _profile(pending)


def test_publishing_is_audited(researcher_a):
    profile = services.profile_save(actor=researcher_a, display_name="Kim")
    _profile(researcher_a)
    actions = list(
        AuditEvent.objects.filter(object_id=str(profile.pk), object_type="people.profile")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["profile.create", "profile.publish"]


@pytest.mark.parametrize("who", ["visitor", "researcher_b", "focal_point_a", "secretariat"])
def test_a_private_profile_is_404_everywhere(client, private, who, request):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("people:detail", args=[private.pk])).status_code == 404
    assert client.get(f"/api/v1/people/{private.pk}/").status_code == 404
    directory = client.get(reverse("people:directory"))
    assert b"Bold Batbayar" not in directory.content
    listed = client.get("/api/v1/people/").json()
    assert private.pk not in [row["id"] for row in listed["results"]]


def test_its_owner_sees_it_only_on_their_own_page(client, private, researcher_b):
    client.force_login(researcher_b)
    assert client.get(reverse("people:detail", args=[private.pk])).status_code == 404
    page = client.get(reverse("people:me"))
    assert page.status_code == 200
    assert b"Bold Batbayar" in page.content


def test_a_deactivated_or_unverified_account_hides_its_public_profile(client, public):
    account = public.user
    account.status = AccountStatus.REJECTED
    account.save()
    assert client.get(reverse("people:detail", args=[public.pk])).status_code == 404
    assert not policy.visible_profiles(None).exists()  # type: ignore[arg-type]


def test_a_public_profile_shows_what_its_owner_chose(client, public):
    page = client.get(reverse("people:detail", args=[public.pk]))
    assert page.status_code == 200
    for text in ["Kim Min-ji", "0000-0002-1825-0097", "한국어", "Black-faced spoonbill"]:
        assert text.encode() in page.content
    detail = client.get(f"/api/v1/people/{public.pk}/").json()
    assert detail["orcid"] == "0000-0002-1825-0097"
    assert detail["species"] == ["BF_SPOONBILL"]
    assert detail["country"] == "KR"


def test_the_own_profile_page_is_for_verified_accounts(client, pending):
    assert client.get(reverse("people:me")).status_code == 302  # signs in first
    client.force_login(pending)
    assert client.get(reverse("people:me")).status_code == 404


def test_the_own_profile_page_saves_and_keeps_a_bad_orcid(client, researcher_a):
    client.force_login(researcher_a)
    response = client.post(
        reverse("people:me"),
        {"display_name": "Kim Min-ji", "orcid": "0000-0002-1825-0098", "is_public": "on"},
    )
    assert response.status_code == 400
    assert b"checksum" in response.content
    assert b"0000-0002-1825-0098" in response.content
    response = client.post(
        reverse("people:me"),
        {"display_name": "Kim Min-ji", "orcid": "0000-0002-1825-0097", "is_public": "on"},
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=researcher_a).is_public


# --- The directory and its filters ---------------------------------------------------------


def test_the_directory_filters_by_species_country_and_expertise(client, public, researcher_b):
    _profile(researcher_b, country=Country.objects.get(code="MN"), display_name="Bold")
    cases = {
        "?species=BF_SPOONBILL": ["Kim Min-ji"],
        "?country=MN": ["Bold"],
        "?expertise=habitat-loss": ["Kim Min-ji"],
        "?species=SNOW_LEOPARD": [],
        "": ["Bold", "Kim Min-ji"],
    }
    for query, names in cases.items():
        rows = client.get("/api/v1/people/" + query).json()["results"]
        assert [row["name"] for row in rows] == names, query
    page = client.get(reverse("people:directory") + "?species=BF_SPOONBILL")
    assert b"Kim Min-ji" in page.content and b"Bold<" not in page.content


def test_bad_filters_are_a_400_in_the_api_and_ignored_on_the_page(client, public):
    response = client.get("/api/v1/people/?year=20x4&country=Korea")
    assert response.status_code == 400
    assert set(response.json()) >= {"year", "country"}
    assert client.get(reverse("people:directory") + "?year=20x4").status_code == 200


@pytest.mark.parametrize("rows", [1, 8])
def test_the_directory_costs_the_same_queries_for_any_number_of_rows(
    client, rows, django_assert_num_queries
):
    for number in range(rows):
        _profile(
            UserFactory(username=f"expert-{number}"),
            species=[Species.objects.get(code="TIGER_AMUR")],
            expertise=[Theme.objects.get(code="genetics")],
        )
    # Expect 7 queries: the count, the profiles with their country, their species, their
    # expertise, and the species, member States and themes of the filters; none per row.
    with django_assert_num_queries(7):
        client.get(reverse("people:directory"))
    # Expect 4 queries: the count, the profiles with their country, species, expertise.
    with django_assert_num_queries(4):
        client.get("/api/v1/people/")


# --- Authors and speakers link to public profiles -------------------------------------------


def test_authors_link_to_the_public_profile_of_their_name_only(
    client, secretariat, public, private
):
    publication = publication_services.publication_create(
        actor=secretariat,
        type="report",
        title="Spoonbill colonies",
        year=2024,
        language="en",
        authors=[
            {"name": "kim  MIN-JI", "affiliation": ""},
            {"name": "Bold Batbayar", "affiliation": ""},
            {"name": "Someone Else", "affiliation": ""},
        ],
    )
    page = client.get(reverse("publications:detail", args=[publication.pk])).content.decode()
    assert f'href="{public.get_absolute_url()}"' in page
    assert f'href="{private.get_absolute_url()}"' not in page
    assert "Bold Batbayar" in page and "Someone Else" in page


def test_a_name_two_public_profiles_share_links_to_neither(client, secretariat, researcher_b):
    first = _profile(UserFactory(username="kim-1"), display_name="Kim Min-ji")
    second = _profile(UserFactory(username="kim-2"), display_name="Kim Min-ji")
    publication = publication_services.publication_create(
        actor=secretariat,
        type="report",
        title="Cranes",
        year=2024,
        language="en",
        authors=[{"name": "Kim Min-ji", "affiliation": ""}],
    )
    page = client.get(reverse("publications:detail", args=[publication.pk])).content.decode()
    assert first.get_absolute_url() not in page and second.get_absolute_url() not in page


def test_speakers_link_to_public_profiles_on_the_event_page(client, secretariat, researcher_a):
    seed_library(secretariat=secretariat)
    profile = _profile(researcher_a, display_name="Yury Darman")
    event = Event.objects.get(status="published")
    page = client.get(reverse("publications:event_detail", args=[event.pk])).content.decode()
    assert f'href="{profile.get_absolute_url()}" class="person-link">Yury Darman' in page
    services.profile_save(actor=researcher_a, is_public=False)
    page = client.get(reverse("publications:event_detail", args=[event.pk])).content.decode()
    assert profile.get_absolute_url() not in page
