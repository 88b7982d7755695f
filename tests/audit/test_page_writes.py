"""Pages whose writes no other test made, exercised once so that the audit check sees them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access.models import AuditEvent
from publications import services as publication_services
from tests.factories import DatasetFactory
from tests.processing.files import simple_pdf


def _object_types(**filters) -> set[str]:
    return set(AuditEvent.objects.filter(**filters).values_list("object_type", flat=True))


def test_appointing_secretariat_staff_on_the_roles_page_is_audited(client, secretariat, partner):
    client.force_login(secretariat)
    response = client.post(
        reverse("accounts:secretariat_appoint"), {"secretariat-username": partner.username}
    )
    assert response.status_code == 302, response.content
    partner.refresh_from_db()
    assert partner.is_secretariat
    assert _object_types(actor=secretariat, object_id=str(partner.pk)) == {"accounts.user"}


def test_editing_a_dataset_on_its_page_is_audited(client, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, status="draft", title="Draft")
    client.force_login(researcher_a)
    form = {
        "title": "Camera traps of Land of the Leopard",
        "method": "camera_traps",
        "licence": "CC-BY-4.0",
        "access_level": "restricted",
        "species": ["TIGER_AMUR"],
    }
    response = client.post(reverse("datasets:edit", args=[dataset.pk]), form)
    assert response.status_code == 302, response.content
    dataset.refresh_from_db()
    assert dataset.title == form["title"]
    assert "datasets.dataset" in _object_types(actor=researcher_a, object_id=str(dataset.pk))


def test_adding_files_to_a_publication_on_its_page_is_audited(client, researcher_a):
    publication = publication_services.publication_create(
        actor=researcher_a, type="report", title="Crane flyways", year=2024, language="en"
    )
    client.force_login(researcher_a)
    upload = SimpleUploadedFile("report.pdf", simple_pdf("Cranes"))
    response = client.post(
        reverse("publications:files", args=[publication.pk]), {"files": [upload]}
    )
    assert response.status_code == 302, response.content
    assert publication.links.count() == 1
    assert _object_types(actor=researcher_a, action="file.upload") == {"datasets.datafile"}
