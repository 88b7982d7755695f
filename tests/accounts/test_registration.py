import pytest
from django.core import mail
from django.urls import reverse

from access import policy
from accounts.models import AccountStatus, User
from tests.factories import PASSWORD

FORM = {
    "username": "new-ranger",
    "first_name": "Min-ji",
    "last_name": "Kim",
    "email": "ranger@example.org",
    "affiliation": "KR",
    "organisation": "Korea National Park Service",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def test_it_registers_a_pending_account_and_tells_the_countrys_focal_point(
    client, focal_point_a, focal_point_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), FORM)

    assert response.status_code == 200
    account = User.objects.get(username="new-ranger")
    assert account.status == AccountStatus.PENDING
    assert account.country_id == "KR"
    assert account.check_password(PASSWORD)
    # The verifier, then the registrant (who learns what happens next).
    assert [message.to for message in mail.outbox] == [[focal_point_a.email], [FORM["email"]]]
    assert "new-ranger" in mail.outbox[0].subject


def test_a_partner_registration_goes_to_the_secretariat(
    client, secretariat, django_capture_on_commit_callbacks
):
    form = {**FORM, "affiliation": "partner", "organisation": "WWF Hong Kong"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), form)
    account = User.objects.get(username="new-ranger")
    assert account.country_id is None
    assert [message.to for message in mail.outbox] == [[secretariat.email], [FORM["email"]]]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        ({"affiliation": "XX"}, "affiliation", "Select a valid choice"),
        ({"password2": "something-else-entirely"}, "password2", "The two passwords differ"),
        ({"affiliation": "partner", "organisation": ""}, "organisation", "Name your organisation"),
    ],
)
def test_bad_registration_says_what_is_wrong_and_keeps_the_input(
    client, researcher_a, change, field, message
):
    response = client.post(reverse("accounts:register"), {**FORM, **change})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    content = response.content.decode()
    assert 'value="Korea National Park Service"' in content or field == "organisation"
    assert 'value="Min-ji"' in content
    assert not User.objects.filter(username="new-ranger").exists()


def test_the_focal_point_of_the_country_verifies_the_account(
    client, focal_point_a, pending, django_capture_on_commit_callbacks
):
    client.force_login(focal_point_a)
    queue = client.get(reverse("accounts:verification_queue"))
    assert pending in queue.context["pending"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:verify_account", args=[pending.pk]))

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == AccountStatus.VERIFIED
    assert pending.verified_by == focal_point_a
    assert mail.outbox[-1].to == [pending.email]


def test_a_focal_point_of_another_country_cannot_verify(client, focal_point_b, pending):
    client.force_login(focal_point_b)
    assert pending not in client.get(reverse("accounts:verification_queue")).context["pending"]

    response = client.post(reverse("accounts:verify_account", args=[pending.pk]))

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == AccountStatus.PENDING


def test_a_researcher_has_no_verification_queue(client, researcher_a, pending):
    client.force_login(researcher_a)
    assert client.get(reverse("accounts:verification_queue")).status_code == 404
    assert client.post(reverse("accounts:verify_account", args=[pending.pk])).status_code == 404


def test_the_secretariat_verifies_partners_but_not_countries_with_a_focal_point(
    client, secretariat, focal_point_a, pending, partner
):
    partner.status = AccountStatus.PENDING
    partner.save()
    client.force_login(secretariat)
    waiting = client.get(reverse("accounts:verification_queue")).context["pending"]
    assert partner in waiting
    assert pending not in waiting
    assert client.post(reverse("accounts:verify_account", args=[pending.pk])).status_code == 404


def test_refusing_needs_a_reason_and_tells_the_applicant(
    client, focal_point_a, pending, django_capture_on_commit_callbacks
):
    client.force_login(focal_point_a)
    client.post(reverse("accounts:reject_account", args=[pending.pk]), {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == AccountStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reject_account", args=[pending.pk]), {"reason": "Unknown"})
    pending.refresh_from_db()
    assert pending.status == AccountStatus.REJECTED
    assert "Unknown" in mail.outbox[-1].body


def test_a_pending_account_is_a_visitor_for_every_decision(pending, focal_point_a):
    from accounts.models import FocalPoint

    FocalPoint.objects.create(user=pending, country_id="KR")
    pending.is_secretariat = True
    assert not policy.is_verified(pending)
    assert not policy.is_secretariat(pending)
    assert not policy.is_focal_point(pending, "KR")
    assert not policy.can_review_accounts(pending)
    assert list(policy.accounts_to_verify(pending)) == []


def test_the_verification_queue_costs_a_fixed_number_of_queries(
    client, focal_point_a, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    for number in range(8):
        UserFactory(username=f"applicant-{number}", status=AccountStatus.PENDING)
    client.force_login(focal_point_a)
    # Expect at most 11 queries: session, user, the session's authenticator (django-otp),
    # focal-point lookup, the menu's four to-do counts (accounts, datasets, access requests,
    # publications), the pending list with countries, and Django's savepoints; none per account.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("accounts:verification_queue"))
    assert len(response.context["pending"]) == 8


def test_the_profile_page_shows_roles_and_saves_changes(client, focal_point_a):
    client.force_login(focal_point_a)
    response = client.get(reverse("accounts:profile"))
    assert "Focal point KR" in response.content.decode()
    client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Ji",
            "last_name": "Park",
            "email": "ji@example.org",
            "organisation": "NIE",
            "preferred_language": "ko",
        },
    )
    focal_point_a.refresh_from_db()
    assert (focal_point_a.first_name, focal_point_a.preferred_language) == ("Ji", "ko")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_reset_sends_a_working_link(client, researcher_a):
    client.post(reverse("accounts:password_reset"), {"email": researcher_a.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    new_password = "another-Long-passw0rd"
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    researcher_a.refresh_from_db()
    assert researcher_a.check_password(new_password)
