import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/admin/species/species/",
        "/admin/species/site/",
        "/admin/species/kmgbftarget/",
        "/admin/species/theme/",
        "/admin/accounts/user/",
        "/admin/accounts/focalpoint/",
        "/admin/species/species/add/",
        "/admin/publications/event/",
        "/admin/publications/publication/",
    ],
)
def test_the_secretariat_manages_reference_data_and_accounts_in_the_admin(client, secretariat, url):
    client.force_login(secretariat)
    assert client.get(url).status_code == 200


def test_a_researcher_has_no_admin(client, researcher_a):
    client.force_login(researcher_a)
    response = client.get("/admin/species/species/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_audit_trail_is_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/access/auditevent/").status_code == 200
    assert admin_client.get("/admin/access/auditevent/add/").status_code == 403
