import pytest


@pytest.mark.django_db
def test_repeated_failed_logins_get_a_readable_429(client, peer):
    statuses = [
        client.post("/accounts/login/", {"login": peer.username, "password": "wrong-password"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429
    limited = client.post("/accounts/login/", {"login": peer.username, "password": "a-long-test-password-42"})
    assert limited.status_code == 429
    assert "too many attempts" in limited.content.decode().lower()


@pytest.mark.django_db
def test_many_signups_from_one_place_get_a_readable_429(client):
    for n in range(10):
        client.post("/accounts/signup/", {"username": f"name-{n}", "password1": "a-long-test-password-42", "password2": "a-long-test-password-42"})
        client.logout()
    response = client.post("/accounts/signup/", {"username": "one-more", "password1": "a-long-test-password-42", "password2": "a-long-test-password-42"})
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode().lower()


@pytest.mark.django_db
def test_rate_limit_keys_hold_no_ip_address(client, peer, monkeypatch):
    from allauth.core.internal import ratelimit

    written = []
    real_set = ratelimit.cache.set

    def recording_set(key, *args, **kwargs):
        written.append(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(ratelimit.cache, "set", recording_set)
    client.post("/accounts/login/", {"login": peer.username, "password": "wrong"}, REMOTE_ADDR="203.0.113.77")
    assert written, "the limiter should have counted the attempt"
    assert not any("203.0.113.77" in key for key in written)
