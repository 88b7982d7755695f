"""Every state change writes an audit event: the check on every request, and the changes that
used to leave no trace (the admin, profile edits, featuring, reference data, recovery codes).

Every other test that changes data through a page, the API or the admin is checked too, by
``tests.audit.writes.audited_requests``.
"""

import shutil
from io import StringIO
from wsgiref.util import setup_testing_defaults

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse

from access.admin import AuditedAdminMixin
from access.models import AuditEvent
from accounts.two_factor import recovery_codes_renew
from neaspec_portal.wsgi import application
from publications import services as publication_services
from species.models import Sensitivity, Species, Theme
from species.services import REFERENCE_DIR, reference_data_load
from tests.audit.writes import BOOKKEEPING, owners
from tests.two_factor import TEST_TOTP_KEY


def _actions(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).values_list("action", flat=True))


# The check itself ------------------------------------------------------------------------


@pytest.mark.urls("tests.audit.urls")
@pytest.mark.parametrize("url", ["/unaudited/", "/renamed/"])
def test_the_check_fails_a_request_that_changes_data_without_an_audit_event(client, url, db):
    Theme.objects.create(code="unaudited", name_en="Unaudited")
    with pytest.raises(AssertionError, match=r"changed species\.theme \((INSERT|UPDATE)\)"):
        client.post(url)


@pytest.mark.urls("tests.audit.urls")
def test_the_check_watches_requests_made_to_the_wsgi_application_too(db):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/unaudited/"}
    setup_testing_defaults(environ)
    # As Django's test client does: keep the test's connection (and its transaction) open.
    request_started.disconnect(close_old_connections)
    try:
        with pytest.raises(AssertionError, match=r"changed species\.theme \(INSERT\)"):
            application(environ, lambda status, headers: None)
    finally:
        request_started.connect(close_old_connections)


@pytest.mark.urls("tests.audit.urls")
def test_the_check_passes_audited_changes_and_changes_rolled_back(client, db):
    assert client.post("/audited/").status_code == 200
    assert client.post("/rolled-back/").status_code == 400
    assert not Theme.objects.filter(code="rolled-back").exists()


def test_a_row_belongs_to_what_its_foreign_keys_own_but_not_to_people_or_vocabularies():
    assert owners("publications.author") == {"publications.author", "publications.publication"}
    assert "publications.event" in owners("publications.material")
    assert "accounts.user" in owners("otp_static.statictoken")
    assert "accounts.user" not in owners("datasets.dataset")
    assert "species.species" in owners("datasets.dataset_species")  # either end of a link
    assert all(reason for reason, _rule in BOOKKEEPING.values())


# The admin ---------------------------------------------------------------------------------


def test_every_admin_is_audited_or_read_only(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    writable = []
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        for each in admins:
            if isinstance(model_admin, AuditedAdminMixin):
                continue  # its change message names the inlines' changes too
            if any(
                [
                    each.has_add_permission(request, None)
                    if each is not model_admin
                    else each.has_add_permission(request),
                    each.has_change_permission(request),
                    each.has_delete_permission(request),
                ]
            ):
                writable.append(f"{model._meta.label} ({type(each).__name__})")
    assert not writable, (
        "These admins change data without an audit event: add AuditedAdminMixin or "
        f"ReadOnlyAdminMixin (access.admin): {', '.join(writable)}"
    )


def test_deleting_in_the_admin_is_audited_one_by_one_and_in_bulk(admin_client, admin_user):
    themes = [Theme.objects.create(code=f"theme-{n}", name_en=f"Theme {n}") for n in range(3)]
    response = admin_client.post(f"/admin/species/theme/{themes[0].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    response = admin_client.post(
        "/admin/species/theme/",
        {
            "action": "delete_selected",
            "_selected_action": [themes[1].pk, themes[2].pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    deleted = AuditEvent.objects.filter(action="admin.delete", object_type="species.theme")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(
        str(theme.pk) for theme in themes
    )
    assert {event.actor for event in deleted} == {admin_user}


def test_two_factor_devices_are_listed_without_their_secret_and_never_changed(
    admin_client, admin_user
):
    device = admin_user.totpdevice_set.get()
    page = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert TEST_TOTP_KEY not in page.content.decode()
    assert admin_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    delete = admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    # django-otp's own page of the secret and its QR code is gone with its admin.
    config = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/", follow=True)
    assert "otpauth://" not in config.content.decode()
    assert TEST_TOTP_KEY not in config.content.decode()
    assert admin_user.totpdevice_set.exists()


def test_unlocking_a_sign_in_in_the_admin_is_audited(admin_client, admin_user):
    attempt = AccessAttempt.objects.create(
        username="researcher-a",
        ip_address="192.0.2.7",
        user_agent="",
        http_accept="",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _actions(object_type="axes.accessattempt", actor=admin_user) == ["admin.delete"]
    log = AccessLog.objects.create(
        username="researcher-a", ip_address="192.0.2.7", user_agent="", path_info="/"
    )
    assert admin_client.get("/admin/axes/accesslog/").status_code == 200
    delete = admin_client.post(f"/admin/axes/accesslog/{log.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403


# Pages that used to change things without a trace ---------------------------------------------


def test_a_profile_edit_names_the_fields_changed_and_the_previous_address(client, researcher_a):
    client.force_login(researcher_a)
    previous = researcher_a.email
    form = {
        "first_name": "Ji-woo",
        "last_name": researcher_a.last_name,
        "email": "new-address@example.org",
        "organisation": researcher_a.organisation,
        "preferred_language": "ko",
    }
    assert client.post(reverse("accounts:profile"), form).status_code == 302
    event = AuditEvent.objects.get(action="account.profile")
    assert (event.actor, event.object_id) == (researcher_a, str(researcher_a.pk))
    assert event.detail == {
        "fields": ["first_name", "email", "preferred_language"],
        "previous_email": previous,
    }
    researcher_a.refresh_from_db()
    assert (researcher_a.email, researcher_a.preferred_language) == (form["email"], "ko")

    assert client.post(reverse("accounts:profile"), form).status_code == 302
    assert _actions(action="account.profile") == ["account.profile"]  # nothing changed


def test_a_password_change_is_recorded_even_without_tokens(client, researcher_a, password):
    client.force_login(researcher_a)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "a new and long passphrase",
            "new_password2": "a new and long passphrase",
        },
    )
    assert response.status_code == 302
    assert _actions(object_id=str(researcher_a.pk), actor=researcher_a) == ["password.change"]


def test_a_used_recovery_code_is_recorded(client, focal_point_a, password):
    codes = recovery_codes_renew(user=focal_point_a)
    client.post(reverse("accounts:login"), {"username": "focal-a", "password": password})
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="two_factor.recovery_code_use")
    assert (event.actor, event.detail, event.ip_address) == (
        focal_point_a,
        {"left": 9},
        "127.0.0.1",
    )


def test_featuring_and_unfeaturing_is_recorded(client, secretariat):
    publication = publication_services.publication_create(
        actor=secretariat, type="report", title="Crane flyways", year=2025, language="en"
    )
    client.force_login(secretariat)
    url = reverse("publications:featured", args=[publication.pk])
    client.post(url, {"featured": "1"})
    client.post(url, {"featured": "1"})  # already featured: nothing to record
    client.post(url, {"featured": "0"})
    assert _actions(object_type="publications.publication", action__startswith="featured") == [
        "featured.unset",
        "featured.set",
    ]


# Commands ---------------------------------------------------------------------------------


def test_reloading_reference_data_records_only_the_rows_it_changes(db, tmp_path):
    directory = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, directory)
    before = AuditEvent.objects.count()
    reference_data_load(directory=directory)
    assert AuditEvent.objects.count() == before  # every row is as the files say

    themes = directory / "themes.csv"
    themes.write_text(
        themes.read_text(encoding="utf-8").replace("Energy infrastructure", "Energy"),
        encoding="utf-8",
    )
    reference_data_load(directory=directory)
    event = AuditEvent.objects.get(action="reference.change")
    assert (event.object_type, event.actor, event.detail) == (
        "species.theme",
        None,
        {"via": "load_reference", "fields": ["name_en"]},
    )


def test_a_sensitivity_change_is_recorded(db):
    species = Species.objects.get(code="TIGER_AMUR")
    previous = species.sensitivity
    category = Sensitivity.EXTREME if previous != Sensitivity.EXTREME else Sensitivity.HIGH
    call_command("set_species_sensitivity", "TIGER_AMUR", category, stdout=StringIO())
    event = AuditEvent.objects.get(action="species.sensitivity")
    assert event.object_id == str(species.pk)
    assert (event.detail["from"], event.detail["to"]) == (previous, category)


def test_the_admin_changes_passwords_on_the_audited_page(client, secretariat, password):
    client.force_login(secretariat)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": password,
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    secretariat.refresh_from_db()
    assert secretariat.check_password(password)
