"""The secretariat's event pages: only they reach them; bad input is explained, nothing kept."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publications import events_services, services
from publications.demo import simple_pdf
from publications.models import Event, Material, ParticipantCount
from tests.publications_api.event_support import speaker_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(secretariat):
    return events_services.event_save(
        actor=secretariat,
        title="Training on camera traps",
        type="training",
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 5),
        city="Hunchun",
    )


EDIT_PAGES = [
    ("publications:event_create", False),
    ("publications:event_edit", True),
    ("publications:session_add", True),
    ("publications:participants_edit", True),
    ("publications:material_add", True),
    ("publications:materials_reorder", True),
]


@pytest.mark.parametrize(("name", "with_event"), EDIT_PAGES)
def test_it_hides_the_editing_pages_from_everyone_but_the_secretariat(
    client, event, researcher_a, focal_point_a, name, with_event
):
    url = reverse(name, args=[event.pk] if with_event else [])
    for person in (researcher_a, focal_point_a):
        client.force_login(person)
        assert client.post(url, {"title": "Changed"}).status_code == 404
    event.refresh_from_db()
    assert event.title == "Training on camera traps"


def test_it_refuses_participant_counts_that_do_not_add_up(client, secretariat, event):
    events_services.participants_set(actor=secretariat, event=event, counts={"CN": (4, 5, 0)})
    client.force_login(secretariat)
    response = client.post(
        reverse("publications:participants_edit", args=[event.pk]),
        {"CN_women": "10", "CN_men": "10", "total": "61"},
    )
    assert response.status_code == 400
    assert "The counts add up to 20, not 61." in response.content.decode()
    assert 'value="10"' in response.content.decode()
    assert list(ParticipantCount.objects.values_list("women", "men")) == [(4, 5)]


def test_it_refuses_slides_that_are_not_what_they_claim(client, secretariat, event):
    client.force_login(secretariat)
    response = client.post(
        reverse("publications:material_add", args=[event.pk]),
        {
            "kind": "presentation",
            "title": "Camera placement",
            **speaker_rows({"name": "Li Na"}),
            "language": "zh",
            "visibility": "public",
            "files": [
                SimpleUploadedFile("good.pdf", simple_pdf("Camera placement")),
                SimpleUploadedFile("slides.pdf", b"<html>phishing</html>"),
            ],
        },
    )
    assert response.status_code == 400
    assert "slides.pdf is not a PDF file." in response.content.decode()
    assert Material.objects.count() == 0


def test_it_adds_several_files_at_once_and_reorders_materials(client, secretariat, event):
    client.force_login(secretariat)
    for title in ("First talk", "Second talk"):
        response = client.post(
            reverse("publications:material_add", args=[event.pk]),
            {
                "kind": "presentation",
                "title": title,
                **speaker_rows({"name": "Kim Jiwoo"}),
                "language": "ko",
                "visibility": "public",
                "files": [
                    SimpleUploadedFile("part-1.pdf", simple_pdf(title)),
                    SimpleUploadedFile("part-2.pdf", simple_pdf(title)),
                ],
            },
        )
        assert response.status_code == 302
    first, second = Material.objects.order_by("order")
    assert first.publication.links.count() == 2
    client.post(
        reverse("publications:materials_reorder", args=[event.pk]),
        {"material": str(second.pk), "direction": "up"},
    )
    assert list(Material.objects.order_by("order").values_list("title", flat=True)) == [
        "Second talk",
        "First talk",
    ]
    page = client.get(reverse("publications:event_detail", args=[event.pk])).content.decode()
    assert page.index("Second talk") < page.index("First talk")


def test_an_event_ending_before_it_starts_is_refused(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("publications:event_create"),
        {
            "title": "Webinar",
            "type": "webinar",
            "start_date": "2025-06-02",
            "end_date": "2025-06-01",
            "online": "on",
        },
    )
    assert response.status_code == 200
    assert "The last day is before the first day." in response.content.decode()
    assert Event.objects.count() == 0


def test_a_returned_publication_is_edited_by_its_uploader_and_goes_back_to_review(
    client, researcher_a, focal_point_a
):
    publication = services.publication_create(
        actor=researcher_a, type="report", title="Draft", year=2024, language="en"
    )
    services.publication_review(
        actor=focal_point_a, publication=publication, decision="return", comment="Add authors."
    )
    client.force_login(researcher_a)
    mine = client.get(reverse("publications:mine")).content.decode()
    assert "Add authors." in mine
    form = {
        "type": "report",
        "title": "Final",
        "year": "2024",
        "language": "en",
        "visibility": "public",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": "Park Seo-yeon",
    }
    response = client.post(reverse("publications:edit", args=[publication.pk]), form)
    assert response.status_code == 302
    publication.refresh_from_db()
    assert (publication.title, publication.status) == ("Final", "submitted")
    assert [a.name for a in publication.authors.all()] == ["Park Seo-yeon"]


def test_a_featured_publication_leads_the_home_page(client, secretariat):
    older = services.publication_create(
        actor=secretariat, type="report", title="Featured report", year=2020, language="en"
    )
    for number in range(4):
        services.publication_create(
            actor=secretariat, type="report", title=f"Newer {number}", year=2024, language="en"
        )
    assert "Featured report" not in client.get("/").content.decode()
    client.force_login(secretariat)
    client.post(reverse("publications:featured", args=[older.pk]), {"featured": "1"})
    assert "Featured report" in client.get("/").content.decode()
