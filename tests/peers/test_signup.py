import pytest
from django.utils.html import escape

from peers import pseudonyms, roles
from peers.models import Peer

SIGNUP = "/accounts/signup/"


def signup(client, username, password="a-long-test-password-42"):
    return client.post(SIGNUP, {"username": username, "password1": password, "password2": password})


@pytest.mark.django_db
def test_signup_with_pseudonym_and_password_only_creates_a_member(client):
    response = signup(client, "quiet-fox")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/recovery-code/"
    peer = Peer.objects.get(username="quiet-fox")
    assert not hasattr(peer, "email")
    assert list(peer.groups.values_list("name", flat=True)) == [roles.MEMBER]
    assert peer.recovery_code_hash


@pytest.mark.django_db
def test_signup_form_asks_for_no_email(client):
    page = client.get(SIGNUP).content.decode()
    assert 'name="username"' in page and 'name="password1"' in page
    assert 'name="email"' not in page


@pytest.mark.django_db
def test_recovery_code_is_shown_once_then_never_again(client):
    signup(client, "quiet-fox")
    first = client.get("/accounts/recovery-code/").content.decode()
    assert 'class="recovery-code"' in first
    assert "I have saved my recovery code" in first
    second = client.get("/accounts/recovery-code/").content.decode()
    assert 'class="recovery-code"' not in second
    assert "already been shown" in second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, message",
    [
        ("sam@example.org", pseudonyms.MSG_LOOKS_LIKE_EMAIL),
        ("samgmail.com", pseudonyms.MSG_LOOKS_LIKE_EMAIL),
        ("555-013-4567", pseudonyms.MSG_LOOKS_LIKE_PHONE),
        ("call5550134567", pseudonyms.MSG_LOOKS_LIKE_PHONE),
        ("ab", "at least 3 characters"),
        ("x" * 31, "at most 30 characters"),
        ("has space", pseudonyms.MSG_CHARACTERS),
    ],
)
def test_refused_pseudonyms_say_why_and_store_nothing(client, username, message):
    response = signup(client, username)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not Peer.objects.exists()


@pytest.mark.django_db
def test_taken_pseudonym_is_refused_whatever_the_case(client, peer):
    response = signup(client, peer.username.upper())
    assert response.status_code == 400
    assert "That pseudonym is taken. Please choose another." in response.content.decode()
    assert Peer.objects.count() == 1


@pytest.mark.django_db
def test_mismatched_or_weak_password_is_refused(client):
    response = client.post(SIGNUP, {"username": "quiet-fox", "password1": "a-long-test-password-42", "password2": "different-password-42"})
    assert response.status_code == 400
    weak = signup(client, "quiet-fox", password="123")
    assert weak.status_code == 400
    assert not Peer.objects.exists()


@pytest.mark.django_db
def test_small_numbers_in_a_pseudonym_are_fine(client):
    assert signup(client, "fox_1987").status_code == 302


@pytest.mark.django_db
def test_login_with_pseudonym_and_password(client, peer):
    response = client.post("/accounts/login/", {"login": peer.username, "password": "a-long-test-password-42"})
    assert response.status_code == 302
    assert client.get("/settings/").status_code == 200


@pytest.mark.django_db
def test_login_with_wrong_password_is_refused(client, peer):
    response = client.post("/accounts/login/", {"login": peer.username, "password": "wrong-password"})
    assert response.status_code == 400
    assert client.get("/settings/").status_code == 302
