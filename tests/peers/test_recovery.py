import pytest
from django.utils.html import escape

from peers import services
from peers.models import Peer
from commons.limits import LIMITS

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
