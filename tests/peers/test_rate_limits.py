"""Log-in, sign-up and the addresses limits are keyed on (issue 13 item 8, issue 12 item 5)."""

import pytest
from django.core.cache import cache
from django.utils.html import escape

from peers.models import Peer
from tests.conftest import PASSWORD

def LIMIT_WORDS(name: str) -> str:
    from commons.limits import LIMITS

    return LIMITS[name].message


LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"


def login(client, name, password, address="198.51.100.7", **headers):
    return client.post(LOGIN, {"login": name, "password": password}, REMOTE_ADDR=address, **headers)


def signup(client, name, address="198.51.100.7", password="a-long-test-password-42", password2=None):
    response = client.post(SIGNUP, {"username": name, "password1": password, "password2": password2 or password},
                           REMOTE_ADDR=address)
    client.logout()
    return response


@pytest.mark.django_db
def test_wrong_passwords_lock_that_pseudonym_from_that_address_with_a_readable_429(client, peer):
    statuses = [login(client, peer.username, "wrong-password").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    limited = login(client, peer.username, PASSWORD)
    assert limited.status_code == 429
    assert escape(LIMIT_WORDS("login_failed_account")) in limited.content.decode()
    assert "Please try again in" in limited.content.decode()
    assert 0 < int(limited["Retry-After"]) <= 300


@pytest.mark.django_db
def test_the_right_password_from_another_address_still_works(client, peer):
    for _ in range(6):
        login(client, peer.username, "wrong-password", address="198.51.100.7")
    response = login(client, peer.username, PASSWORD, address="203.0.113.9")
    assert response.status_code == 302  # nobody can keep a member (a moderator, say) out from everywhere


@pytest.mark.django_db
def test_failures_for_one_pseudonym_do_not_lock_others_at_the_same_address(client, peer, other_peer):
    for _ in range(6):
        login(client, peer.username, "wrong-password")
    assert login(client, other_peer.username, PASSWORD).status_code == 302  # a drop-in centre's shared connection


@pytest.mark.django_db
def test_many_failures_from_one_address_pause_log_ins_from_there_only(client, peer, settings):
    settings.RATE_LIMITS = {"login_failed": (4, 900)}
    for n in range(4):
        login(client, f"nobody-{n}", "wrong-password")
    refused = login(client, peer.username, PASSWORD)
    assert refused.status_code == 429
    assert escape(LIMIT_WORDS("login_failed")) in refused.content.decode()
    assert login(client, peer.username, PASSWORD, address="203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_change_the_key(client, peer):
    for n in range(5):
        login(client, peer.username, "wrong-password", address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = login(client, peer.username, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_address_it_saw_is_the_key(client, peer, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(5):
        # The client put 192.0.2.1 in the header itself; the proxy (10.0.0.2) added what it saw, 198.51.100.7.
        login(client, peer.username, "wrong-password", address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert login(client, peer.username, PASSWORD, address="10.0.0.3", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert login(client, peer.username, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_only_accepted_signups_count_toward_the_limit_per_address(client, settings):
    settings.RATE_LIMITS = {"signup": (2, 3600)}
    for n in range(10):  # typos at a drop-in centre: refused forms
        assert signup(client, f"name-{n}", password="short", password2="other").status_code == 400
    assert signup(client, "first-one").status_code == 302
    assert signup(client, "second-one").status_code == 302
    refused = signup(client, "third-one")
    assert refused.status_code == 429
    assert escape(LIMIT_WORDS("signup")) in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "in 60 minutes" in refused.content.decode() or "minutes" in refused.content.decode()
    assert not Peer.objects.filter(username="third-one").exists()
    assert signup(client, "third-one", address="203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_rate_limit_keys_hold_no_address_or_pseudonym(client, peer, monkeypatch):
    written = []
    real_add = cache.add

    def recording_add(key, *args, **kwargs):
        written.append(key)
        return real_add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", recording_add)
    login(client, peer.username, "wrong", address="203.0.113.77")
    signup(client, "brand-new-name", address="203.0.113.77")
    assert written, "the limiter should have counted the attempts"
    assert not any("203.0.113.77" in key or peer.username in key or "brand-new-name" in key for key in written)
