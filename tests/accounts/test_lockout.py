from django.urls import reverse


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_locks_the_account_and_address_after_five_failures(client, researcher_a, password):
    for _ in range(4):
        response = _login(client, "researcher-a", "wrong-password")
        assert response.status_code == 200
        assert "username or password is wrong" in response.content.decode()

    locked = _login(client, "researcher-a", "wrong-password")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()

    # Even the right password is refused while the lock lasts.
    after = _login(client, "researcher-a", password)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_password_signs_in_before_the_limit(client, researcher_a, password):
    for _ in range(3):
        _login(client, "researcher-a", "wrong-password")
    response = _login(client, "researcher-a", password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(researcher_a.pk)


def test_the_token_endpoint_is_locked_too(client, researcher_a, password):
    url = "/api/v1/auth/token/"
    assert "token" in client.post(url, {"username": "researcher-a", "password": password}).json()
    for _ in range(5):
        client.post(url, {"username": "researcher-a", "password": "nope"})

    response = client.post(url, {"username": "researcher-a", "password": password})

    assert response.status_code == 400
    assert "token" not in response.json()
