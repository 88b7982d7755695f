"""Sharing a dataset is offered only to those the upload accepts; its contact is prefilled."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["datasets:list", "datasets:mine"])
def test_a_pending_account_is_not_offered_sharing_but_told_what_to_do(client, pending, url):
    client.force_login(pending)
    html = client.get(reverse(url)).content.decode()
    assert reverse("datasets:create") not in html
    assert "Once a focal point of your country verifies your account" in html


def test_a_partner_is_pointed_to_publications(client, partner):
    client.force_login(partner)
    html = client.get(reverse("datasets:list")).content.decode()
    assert reverse("datasets:create") not in html
    assert "Partner organisations share publications, not datasets." in html
    page = client.get(reverse("datasets:create"))
    assert page.status_code == 403
    assert reverse("publications:create") in page.content.decode()


def test_a_pending_account_that_finds_the_form_reads_why(client, pending):
    client.force_login(pending)
    page = client.get(reverse("datasets:create"))
    assert page.status_code == 403
    assert "waiting for verification by a focal point" in page.content.decode()


def test_a_pending_account_is_not_offered_a_publication_upload(client, pending):
    client.force_login(pending)
    html = client.get(reverse("publications:mine")).content.decode()
    assert reverse("publications:create") not in html


def test_a_researcher_is_offered_sharing(client, researcher_a):
    client.force_login(researcher_a)
    html = client.get(reverse("datasets:list")).content.decode()
    assert reverse("datasets:create") in html


def test_the_contact_is_prefilled_from_the_profile(client, researcher_a):
    researcher_a.first_name, researcher_a.last_name = "Min-ji", "Kim"
    researcher_a.save()
    client.force_login(researcher_a)
    html = client.get(reverse("datasets:create")).content.decode()
    assert 'name="contact_name" value="Min-ji Kim"' in html
    assert f'name="contact_email" value="{researcher_a.email}"' in html
