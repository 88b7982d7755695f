"""The admin cannot hand out keys: accounts, roles, groups, publications and events are read-only
there, superusers are made on the command line, and what the admin still changes is audited."""

import pytest
from django.contrib.auth.models import Group

from access.models import AuditEvent
from accounts.models import AccountStatus, FocalPoint, User
from accounts.roles import SECRETARIAT_GROUP
from publications import services as publication_services


@pytest.fixture(params=["secretariat", "admin_user"])
def staff(request, client):
    """Signed in as secretariat staff, then as a superuser: neither may do any of this."""
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return user


def _account_form(user, **changes):
    """Return what the account's change form would send, with ``changes``."""
    values = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "country": user.country_id or "",
        "organisation": user.organisation,
        "status": user.status,
        "preferred_language": user.preferred_language,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "focal_points-TOTAL_FORMS": "0",
        "focal_points-INITIAL_FORMS": "0",
    }
    values.update(changes)
    return values


def test_no_one_ticks_superuser_or_staff_in_the_admin(client, staff, researcher_a):
    for account in [staff, researcher_a]:
        url = f"/admin/accounts/user/{account.pk}/change/"
        response = client.post(
            url, _account_form(account, is_superuser="on", is_staff="on", is_secretariat="on")
        )
        assert response.status_code == 403
    researcher_a.refresh_from_db()
    assert not (researcher_a.is_superuser or researcher_a.is_staff or researcher_a.is_secretariat)


def test_no_one_changes_an_account_status_in_the_admin(client, staff, pending):
    response = client.post(
        f"/admin/accounts/user/{pending.pk}/change/",
        _account_form(pending, status=AccountStatus.VERIFIED),
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == AccountStatus.PENDING


def test_no_one_gives_a_role_in_the_admin(client, staff, researcher_a, focal_point_a):
    add = client.post("/admin/accounts/focalpoint/add/", {"user": researcher_a.pk, "country": "KR"})
    assert add.status_code == 403
    appointment = FocalPoint.objects.get(user=focal_point_a)
    assert (
        client.post(
            f"/admin/accounts/focalpoint/{appointment.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert list(FocalPoint.objects.values_list("user__username", flat=True)) == ["focal-a"]


def test_no_one_adds_accounts_or_sets_passwords_in_the_admin(client, staff, focal_point_a):
    assert client.get("/admin/accounts/user/add/").status_code == 403
    password = f"/admin/accounts/user/{focal_point_a.pk}/password/"
    assert client.get(password).status_code == 403
    assert client.post(password, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 403
    delete = client.post(f"/admin/accounts/user/{focal_point_a.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert User.objects.filter(pk=focal_point_a.pk).exists()


def test_accounts_are_shown_read_only(client, staff, focal_point_a):
    page = client.get(f"/admin/accounts/user/{focal_point_a.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_secretariat_cannot_widen_its_own_group(client, secretariat):
    client.force_login(secretariat)
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": SECRETARIAT_GROUP, "permissions": []}
    )
    assert response.status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_user", "view_focalpoint", "view_group", "view_publication"} <= codenames
    assert not {"change_user", "add_focalpoint", "change_group", "change_publication"} & codenames


def test_publications_and_events_are_read_only_in_the_admin(client, staff, secretariat):
    publication = publication_services.publication_create(
        actor=secretariat, type="report", title="Tiger corridors", year=2024, language="en"
    )
    assert client.get("/admin/publications/publication/").status_code == 200
    assert (
        client.get(f"/admin/publications/publication/{publication.pk}/change/").status_code == 200
    )
    assert client.get("/admin/publications/publication/add/").status_code == 403
    changed = client.post(
        f"/admin/publications/publication/{publication.pk}/change/",
        {"title": "Changed", "status": "submitted"},
    )
    assert changed.status_code == 403
    assert client.get("/admin/publications/event/add/").status_code == 403
    publication.refresh_from_db()
    assert (publication.title, publication.status) == ("Tiger corridors", "published")


def test_datasets_are_not_in_the_admin(client, staff):
    assert client.get("/admin/datasets/dataset/").status_code == 404


def test_what_the_admin_still_changes_is_audited(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        "/admin/species/theme/add/",
        {"code": "wetland-loss", "name_en": "Wetland loss"},
    )
    assert response.status_code == 302, response.content
    event = AuditEvent.objects.get(action="admin.add")
    assert (event.actor, event.object_type, event.detail["via"]) == (
        secretariat,
        "species.theme",
        "admin",
    )
