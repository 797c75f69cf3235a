import pytest
from django.utils.html import escape

from peers import services
from peers.models import Peer

RECOVER = "/accounts/recover/"
NEW_PASSWORD = "brand-new-password-77"


def recover(client, pseudonym, code, password=NEW_PASSWORD):
    return client.post(RECOVER, {"pseudonym": pseudonym, "code": code, "new_password1": password, "new_password2": password})


@pytest.fixture
def code(peer):
    return services.recovery_code_issue(peer=peer)


@pytest.mark.django_db
def test_right_code_sets_the_password_and_issues_a_new_code(client, peer, code):
    response = recover(client, peer.username, code)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/recovery-code/"
    peer.refresh_from_db()
    assert peer.check_password(NEW_PASSWORD)
    page = client.get("/accounts/recovery-code/").content.decode()
    assert 'class="recovery-code"' in page


@pytest.mark.django_db
def test_code_is_accepted_in_lower_case_without_dashes(client, peer, code):
    assert recover(client, peer.username, code.replace("-", "").lower()).status_code == 302


@pytest.mark.django_db
def test_wrong_code_is_refused_and_changes_nothing(client, peer, code):
    response = recover(client, peer.username, "AAAAA-BBBBB-CCCCC-DDDDD")
    assert response.status_code == 400
    assert escape(services.MSG_RECOVERY_FAILED) in response.content.decode()
    peer.refresh_from_db()
    assert not peer.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_unknown_pseudonym_gets_the_same_answer_as_a_wrong_code(client, code):
    response = recover(client, "nobody-here", code)
    assert response.status_code == 400
    assert escape(services.MSG_RECOVERY_FAILED) in response.content.decode()


@pytest.mark.django_db
def test_a_used_code_does_not_work_twice(client, peer, code):
    assert recover(client, peer.username, code).status_code == 302
    client.logout()
    again = recover(client, peer.username, code, password="yet-another-password-9")
    assert again.status_code == 400
    peer.refresh_from_db()
    assert peer.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_weak_new_password_is_refused_and_the_code_still_works(client, peer, code):
    response = recover(client, peer.username, code, password="123")
    assert response.status_code == 400
    assert recover(client, peer.username, code).status_code == 302


@pytest.mark.django_db
def test_empty_form_is_refused(client):
    assert client.post(RECOVER, {}).status_code == 400


@pytest.mark.django_db
def test_recovery_is_rate_limited_per_pseudonym(client, peer, code):
    for _ in range(5):
        assert recover(client, peer.username, "AAAAA-BBBBB-CCCCC-DDDDD").status_code == 400
    limited = recover(client, peer.username, code)
    assert limited.status_code == 429
    from commons.limits import LIMITS

    assert escape(LIMITS["recover_name"].message) in limited.content.decode()
    assert 0 < int(limited["Retry-After"]) <= 3600
    peer.refresh_from_db()
    assert not peer.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_settings_can_replace_the_code_after_confirming_the_password(auth_client, peer, code):
    assert auth_client.post("/settings/recovery-code/", {"password": "wrong"}).status_code == 400
    response = auth_client.post("/settings/recovery-code/", {"password": "a-long-test-password-42"})
    assert response.status_code == 302
    peer.refresh_from_db()
    from peers.recovery import code_matches

    assert not code_matches(code, Peer.objects.get(pk=peer.pk).recovery_code_hash)


# --- issue 13, item 10 -------------------------------------------------------------------------

class _CountingHasher:
    """Wraps the test hasher and counts how often a code is checked against a hash."""

    checks = 0


@pytest.fixture
def counted_checks(monkeypatch):
    from django.contrib.auth.hashers import MD5PasswordHasher

    counter = _CountingHasher()
    real = MD5PasswordHasher.verify

    def verify(self, password, encoded):
        counter.checks += 1
        return real(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", verify)
    return counter


@pytest.mark.django_db
def test_an_unknown_pseudonym_costs_the_same_hash_check_as_a_known_one(client, peer, code, counted_checks):
    recover(client, peer.username, "AAAAA-BBBBB-CCCCC-DDDDD")
    known = counted_checks.checks
    counted_checks.checks = 0
    recover(client, "nobody-here", "AAAAA-BBBBB-CCCCC-DDDDD")
    assert known == counted_checks.checks == 1


@pytest.mark.django_db
@pytest.mark.parametrize("variant", [" {name}", "{name} ", "{upper}", " {upper}  "])
def test_the_per_name_limit_counts_every_spelling_of_the_name_together(client, peer, code, variant):
    spelled = variant.format(name=peer.username, upper=peer.username.upper())
    for n in range(5):
        who = peer.username if n % 2 else spelled
        assert recover(client, who, "AAAAA-BBBBB-CCCCC-DDDDD").status_code == 400
    assert recover(client, spelled, code).status_code == 429


@pytest.mark.django_db
def test_a_leading_space_still_finds_the_account(client, peer, code):
    assert recover(client, f"  {peer.username}", code).status_code == 302


def _session_text(client) -> str:
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=client.session.session_key)
    return str(dict(store.load())) + store.encode(store.load())


@pytest.mark.django_db
def test_no_plaintext_code_waits_in_the_session_after_recovery(client, peer, code, monkeypatch):
    from peers import recovery

    issued = []
    real = recovery.code_generate
    monkeypatch.setattr(recovery, "code_generate", lambda: issued.append(real()) or issued[-1])
    assert recover(client, peer.username, code).status_code == 302
    new_code = issued[-1]
    stored = _session_text(client)
    assert new_code not in stored and recovery.code_normalise(new_code) not in stored
    page = client.get("/accounts/recovery-code/").content.decode()
    assert new_code in page
    assert recovery.SEALED_SESSION_KEY not in dict(client.session)


@pytest.mark.django_db
def test_no_plaintext_code_waits_in_the_session_after_sign_up(client, monkeypatch):
    from peers import recovery

    issued = []
    real = recovery.code_generate
    monkeypatch.setattr(recovery, "code_generate", lambda: issued.append(real()) or issued[-1])
    password = "a-long-test-password-42"
    assert client.post("/accounts/signup/", {"username": "quiet-fox", "password1": password, "password2": password}).status_code == 302
    assert issued and issued[-1] not in _session_text(client)
    assert issued[-1] in client.get("/accounts/recovery-code/").content.decode()


@pytest.mark.django_db
def test_a_code_left_unshown_expires(client, peer, code, monkeypatch):
    from peers import recovery

    assert recover(client, peer.username, code).status_code == 302
    later = recovery.time.time() + recovery.SHOW_WITHIN + 1
    monkeypatch.setattr(recovery.time, "time", lambda: later)
    page = client.get("/accounts/recovery-code/").content.decode()
    assert 'class="recovery-code"' not in page


@pytest.mark.django_db
def test_a_tampered_sealed_value_shows_nothing(auth_client):
    session = auth_client.session
    session["peers_recovery_code_sealed"] = {"nonce": "zz", "sealed": 5}
    session.save()
    page = auth_client.get("/accounts/recovery-code/").content.decode()
    assert 'class="recovery-code"' not in page


@pytest.mark.django_db
def test_a_new_code_from_settings_is_rate_limited(auth_client, settings):
    settings.RATE_LIMITS = {"recovery_code_new": (2, 3600)}
    for _ in range(2):
        assert auth_client.post("/settings/recovery-code/", {"password": "a-long-test-password-42"}).status_code == 302
    assert auth_client.post("/settings/recovery-code/", {"password": "a-long-test-password-42"}).status_code == 429
