"""Look-alike pseudonyms are refused with a clear reason (issue 13, item 7)."""

import pytest
from django.utils.html import escape

from peers import pseudonyms
from peers.models import Peer
from tests.conftest import make_peer

SIGNUP = "/accounts/signup/"


def signup(client, username):
    response = client.post(SIGNUP, {"username": username, "password1": "a-long-test-password-42", "password2": "a-long-test-password-42"})
    client.logout()
    return response


@pytest.fixture
def demo_names(db):
    for name in ("peer", "river"):
        make_peer(username=name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [
    "moderat\u043er",  # Cyrillic о
    "\uff4d\uff4f\uff44\uff45\uff52\uff41\uff54\uff4f\uff52",  # fullwidth ｍｏｄｅｒａｔｏｒ
    "m0derator", "MODERATOR", "Moderator", "rnoderator",
    "former_member", "former.member", "Former-Member", "f\u043ermer_member",
    "admin", "Adm\u0456n",  # Ukrainian і
    "moderator_team", "system", "\u041c\u041eD\u0415R\u0410\u0422\u041eR",  # Cyrillic capitals
])
def test_a_look_alike_of_a_reserved_name_is_refused_and_says_why(client, name):
    response = signup(client, name)
    assert response.status_code == 400, name
    assert escape(pseudonyms.MSG_RESERVED) in response.content.decode()
    assert not Peer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["p\u0435er", "P\u0415ER", "riv\u0435r", "r\u0456ver", "\u0440eer"])
def test_a_look_alike_of_an_existing_pseudonym_is_refused_and_says_why(client, demo_names, name):
    response = signup(client, name)
    assert response.status_code == 400, name
    assert escape(pseudonyms.MSG_LOOKALIKE) in response.content.decode()
    assert Peer.objects.count() == 2


@pytest.mark.django_db
def test_a_fullwidth_copy_of_an_existing_name_is_the_same_name(client, demo_names):
    assert signup(client, "\uff50\uff45\uff45\uff52").status_code == 400  # ｐｅｅｒ is peer: taken
    assert Peer.objects.count() == 2


@pytest.mark.django_db
def test_a_fullwidth_name_is_stored_normalised(client):
    assert signup(client, "\uff51\uff55\uff49\uff45\uff54-fox").status_code == 302  # ｑｕｉｅｔ-fox
    peer = Peer.objects.get()
    assert peer.username == "quiet-fox"
    assert peer.username_key == pseudonyms.pseudonym_key("quiet-fox")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["quiet-fox", "moderator2", "peer-support", "ri_ver", "rivers"])
def test_names_that_do_not_read_alike_are_welcome(client, demo_names, name):
    assert signup(client, name).status_code == 302, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["\u3164\u3164\u3164", "ab\u200bcd", "\u2800\u2800\u2800x"])
def test_a_pseudonym_with_invisible_characters_is_refused(client, name):
    response = signup(client, name)
    assert response.status_code == 400
    assert not Peer.objects.exists()


@pytest.mark.django_db
def test_two_look_alikes_cannot_both_be_stored_even_by_a_race(db):
    from django.db import IntegrityError, transaction

    make_peer(username="peer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Peer.objects.create_user(username="p\u0435er", password="x")


def test_the_skeleton_follows_unicode_tr39():
    key = pseudonyms.pseudonym_key
    assert key("moderat\u043er") == key("moderator") == key("MODERATOR") == key("m0derator")
    assert "paypal" in pseudonyms.pseudonym_keys("paypaI")  # a capital I reads as l
    assert key("RIVER") == key("River") == key("river")
    assert key("river") != key("rover")
    assert pseudonyms.skeleton("\u0430") == "a"  # Cyrillic а
