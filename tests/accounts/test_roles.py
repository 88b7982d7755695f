"""Roles change only through audited services: the secretariat's roles page, never one's own."""

import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from access import policy
from access.models import AuditEvent
from accounts import roles
from accounts.models import FocalPoint, User
from accounts.two_factor import SECOND_FACTOR_AT
from species.models import Country
from tests.factories import UserFactory
from tests.two_factor import give_authenticator


def _fresh(user):
    """Return ``user`` as read again, without the roles cached on the object."""
    return User.objects.get(pk=user.pk)


def _kr():
    return Country.objects.get(code="KR")


# --- Services ------------------------------------------------------------------------------


def test_it_appoints_and_removes_a_focal_point_with_audit_and_email(
    secretariat, researcher_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = roles.focal_point_appoint(actor=secretariat, user=researcher_a, country=_kr())
    assert policy.focal_point_countries(_fresh(researcher_a)) == {"KR"}
    event = AuditEvent.objects.get(action="role.focal_point.appoint")
    assert (event.actor, event.object_id, event.country) == (
        secretariat,
        str(researcher_a.pk),
        "KR",
    )
    (message,) = mail.outbox
    assert message.to == [researcher_a.email]
    assert "focal point of" in message.subject
    assert "secretariat" in message.body

    with django_capture_on_commit_callbacks(execute=True):
        roles.focal_point_remove(actor=secretariat, appointment=appointment)
    assert policy.focal_point_countries(_fresh(researcher_a)) == frozenset()
    assert AuditEvent.objects.filter(action="role.focal_point.remove", country="KR").exists()
    assert "no longer a focal point" in mail.outbox[-1].subject


def test_it_appoints_and_removes_secretariat_staff(secretariat, partner):
    roles.secretariat_appoint(actor=secretariat, user=partner)
    partner = _fresh(partner)
    assert (partner.is_secretariat, partner.is_staff) == (True, True)
    assert partner.groups.filter(name=roles.SECRETARIAT_GROUP).exists()
    assert policy.is_secretariat(partner)

    roles.secretariat_remove(actor=secretariat, user=partner)
    partner = _fresh(partner)
    assert (partner.is_secretariat, partner.is_staff) == (False, False)
    assert not partner.groups.exists()
    assert list(
        AuditEvent.objects.filter(object_id=str(partner.pk))
        .order_by("at")
        .values_list("action", flat=True)
    ) == ["role.secretariat.appoint", "role.secretariat.remove"]


def test_removing_a_superusers_secretariat_role_keeps_their_admin(secretariat, admin_user):
    roles.secretariat_appoint(actor=secretariat, user=admin_user)
    roles.secretariat_remove(actor=secretariat, user=admin_user)
    assert _fresh(admin_user).is_staff


def test_nobody_changes_their_own_roles(secretariat, focal_point_a):
    with pytest.raises(PermissionDenied, match="Nobody changes their own roles"):
        roles.secretariat_remove(actor=secretariat, user=secretariat)
    secretariat.country_id = "KR"
    with pytest.raises(PermissionDenied, match="Nobody changes their own roles"):
        roles.focal_point_appoint(actor=secretariat, user=secretariat, country=_kr())
    assert not FocalPoint.objects.filter(user=secretariat).exists()
    assert _fresh(secretariat).is_secretariat


def test_only_the_secretariat_gives_roles(focal_point_a, researcher_a, partner):
    for actor in [focal_point_a, researcher_a]:
        with pytest.raises(PermissionDenied, match="Only the secretariat"):
            roles.secretariat_appoint(actor=actor, user=partner)
        with pytest.raises(PermissionDenied):
            roles.focal_point_appoint(actor=actor, user=researcher_a, country=_kr())
    appointment = FocalPoint.objects.get(user=focal_point_a)
    with pytest.raises(PermissionDenied):
        roles.focal_point_remove(actor=researcher_a, appointment=appointment)
    assert not AuditEvent.objects.filter(action__startswith="role.").exists()


def test_a_focal_point_is_a_verified_account_of_that_country(
    secretariat, researcher_b, pending, focal_point_a
):
    with pytest.raises(ValidationError, match="affiliated with"):
        roles.focal_point_appoint(actor=secretariat, user=researcher_b, country=_kr())
    with pytest.raises(ValidationError, match="not a verified, active account"):
        roles.focal_point_appoint(actor=secretariat, user=pending, country=_kr())
    with pytest.raises(ValidationError, match="already a focal point"):
        roles.focal_point_appoint(actor=secretariat, user=focal_point_a, country=_kr())
    assert not AuditEvent.objects.filter(action__startswith="role.focal_point").exists()


def test_the_command_line_is_recorded_as_such(partner):
    roles.secretariat_appoint(actor=None, user=partner)
    event = AuditEvent.objects.get(action="role.secretariat.appoint")
    assert event.actor is None
    assert event.detail == {"account": "partner", "by": "command line"}


# --- The roles page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["researcher_a", "focal_point_a", "pending"])
def test_the_roles_page_is_404_for_everyone_but_the_secretariat(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("accounts:roles")).status_code == 404
    assert client.post(reverse("accounts:secretariat_appoint")).status_code == 404


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("accounts:roles"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_secretariat_sees_who_holds_which_role(
    client, secretariat, focal_point_a, focal_point_b, django_assert_num_queries
):
    client.force_login(secretariat)
    client.get(reverse("accounts:roles"))  # the session's first reads
    # Expect 7 queries: session, account, device (django-otp), the appointments, the
    # secretariat, the member States (the uncovered list and the form's choices). The
    # menu's roles and counts were kept by the first request (context_processors).
    with django_assert_num_queries(7):
        response = client.get(reverse("accounts:roles"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "focal-a" in page and "focal-b" in page and "secretariat" in page
    # Taking a role asks first; the secretariat's own row offers nothing to take.
    assert page.count("data-confirm=") == 2
    assert reverse("accounts:secretariat_remove", args=[secretariat.pk]) not in page
    # Four member States have no focal point: the page says so.
    assert "Without a focal point:" in page and "Japan" in page


def test_the_secretariat_appoints_a_focal_point_on_the_page(
    client, secretariat, researcher_a, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:focal_point_appoint"),
            {"focal-point-username": "researcher-a", "focal-point-country": "KR"},
        )
    assert response.status_code == 302
    assert FocalPoint.objects.filter(user=researcher_a, country_id="KR").exists()
    assert AuditEvent.objects.filter(action="role.focal_point.appoint").count() == 1
    assert [message.to for message in mail.outbox] == [[researcher_a.email]]
    page = client.get(reverse("accounts:roles")).content.decode()
    assert "researcher-a is now a focal point of" in page


def test_a_refused_appointment_is_explained_and_kept(client, secretariat, researcher_b):
    client.force_login(secretariat)
    response = client.post(
        reverse("accounts:focal_point_appoint"),
        {"focal-point-username": "researcher-b", "focal-point-country": "KR"},
    )
    assert response.status_code == 400
    assert "affiliated with" in response.content.decode()
    assert 'value="researcher-b"' in response.content.decode()

    unknown = client.post(
        reverse("accounts:secretariat_appoint"), {"secretariat-username": "nobody-here"}
    )
    assert unknown.status_code == 400
    assert "No account has this username" in unknown.content.decode()
    assert not FocalPoint.objects.exists()


def test_the_secretariat_cannot_give_itself_a_role_on_the_page(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("accounts:secretariat_appoint"), {"secretariat-username": "secretariat"}
    )
    assert response.status_code == 400
    assert "nobody changes their own roles" in response.content.decode()
    own = client.post(reverse("accounts:secretariat_remove", args=[secretariat.pk]))
    assert own.status_code == 404
    assert _fresh(secretariat).is_secretariat


def test_the_secretariat_takes_roles_on_the_page(client, secretariat, focal_point_a, partner):
    roles.secretariat_appoint(actor=secretariat, user=partner)
    appointment = FocalPoint.objects.get(user=focal_point_a)
    client.force_login(secretariat)

    client.post(reverse("accounts:focal_point_remove", args=[appointment.pk]))
    client.post(reverse("accounts:secretariat_remove", args=[partner.pk]))

    assert not FocalPoint.objects.filter(pk=appointment.pk).exists()
    assert not _fresh(partner).is_secretariat
    assert set(AuditEvent.objects.filter(actor=secretariat).values_list("action", flat=True)) >= {
        "role.focal_point.remove",
        "role.secretariat.remove",
    }


def test_a_focal_point_cannot_take_roles(client, focal_point_a, focal_point_b):
    appointment = FocalPoint.objects.get(user=focal_point_b)
    client.force_login(focal_point_a)
    assert (
        client.post(reverse("accounts:focal_point_remove", args=[appointment.pk])).status_code
        == 404
    )
    assert FocalPoint.objects.filter(pk=appointment.pk).exists()


def test_a_role_change_needs_a_fresh_second_factor(client, secretariat, researcher_a, settings):
    client.force_login(secretariat)
    session = client.session
    session[SECOND_FACTOR_AT] = time.time() - settings.OTP_FRESH_MINUTES * 60 - 1
    session.save()
    response = client.post(
        reverse("accounts:focal_point_appoint"),
        {"focal-point-username": "researcher-a", "focal-point-country": "KR"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not FocalPoint.objects.exists()


def test_the_audit_log_shows_role_changes(client, secretariat, researcher_a, focal_point_b):
    roles.focal_point_appoint(actor=secretariat, user=researcher_a, country=_kr())
    client.force_login(secretariat)
    assert "role.focal_point.appoint" in client.get(reverse("datasets:audit")).content.decode()

    # A focal point reads the role changes of their own country only.
    other = UserFactory(username="focal-kr-2", country_id="KR")
    roles.focal_point_appoint(actor=secretariat, user=other, country=_kr())
    give_authenticator(researcher_a)  # a focal point now: signs in with a second factor
    client.force_login(researcher_a)
    log = client.get(reverse("datasets:audit")).content.decode()
    assert "role.focal_point.appoint" in log and "focal-kr-2" in log
    client.force_login(focal_point_b)
    assert "role.focal_point.appoint" not in client.get(reverse("datasets:audit")).content.decode()


def test_the_menu_links_the_roles_page_for_the_secretariat_only(client, secretariat, focal_point_a):
    client.force_login(secretariat)
    assert reverse("accounts:roles") in client.get(reverse("accounts:profile")).content.decode()
    client.force_login(focal_point_a)
    assert reverse("accounts:roles") not in client.get(reverse("accounts:profile")).content.decode()
