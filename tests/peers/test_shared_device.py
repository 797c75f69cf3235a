"""Shared devices: personal pages are never kept in a browser's cache, and the "Staying safe on a shared
device" page says plainly what the site can and cannot erase."""

import pytest
from django.test import Client

from forum import services as forum_services
from helpnow import services as helpnow_services
from peers import roles
from peers import services as peer_services
from tests.conftest import make_peer

PERSONAL = [
    "/get-help/", "/settings/", "/settings/recovery-code/", "/settings/export/", "/settings/delete/", "/notifications/",
    "/bookmarks/", "/accounts/recovery-code/", "/accounts/password/change/", "/appeal/",
]


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("path", PERSONAL)
def test_personal_pages_are_never_cached(auth_client, path):
    response = auth_client.get(path)
    assert response.status_code == 200, path
    assert _no_store(response), (path, response.get("Cache-Control"))


@pytest.mark.django_db
def test_the_help_conversation_and_the_supporters_board_are_never_cached(peer):
    supporter = make_peer(roles.SUPPORTER, username="sup-lee")
    helpnow_services.duty_set(supporter=supporter, on=True)
    help_request = helpnow_services.request_create(requester=peer)
    for who, path in ((peer, f"/get-help/{help_request.pk}/"), (supporter, "/supporters/")):
        client = Client()
        client.force_login(who)
        response = client.get(path)
        assert response.status_code == 200 and _no_store(response), path


@pytest.mark.django_db
def test_a_freshly_shown_recovery_code_is_never_cached(client):
    client.post("/accounts/signup/", {"username": "quiet-fox", "password1": "a-long-test-password-42", "password2": "a-long-test-password-42"})
    response = client.get("/accounts/recovery-code/")
    assert 'class="recovery-code"' in response.content.decode() and _no_store(response)


@pytest.mark.django_db
def test_refused_personal_forms_are_not_cached_either(auth_client):
    response = auth_client.post("/settings/delete/", {"words": "keep", "password": "wrong", "confirm": "river"})
    assert response.status_code == 400 and _no_store(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/about/", "/mod/log/", "/transparency/"])
def test_public_pages_keep_their_ordinary_caching(client, path):
    assert "no-store" not in client.get(path).get("Cache-Control", "")


@pytest.mark.django_db
def test_the_shared_device_page_says_what_cannot_be_erased(client):
    response = client.get("/shared-device/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Staying safe on a shared device" in page
    assert "No website can delete those entries" in page  # earlier history entries
    assert "private window" in page.lower() and "Incognito" in page
    assert "Quick exit" in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/get-help/"])
def test_the_shared_device_page_is_linked_from_the_footer_and_get_help(client, path):
    assert 'href="/shared-device/"' in client.get(path).content.decode()


@pytest.mark.django_db
def test_get_help_links_to_it_in_its_own_words(auth_client):
    main = auth_client.get("/get-help/").content.decode().split('<main id="main"', 1)[1].split("</main>")[0]
    assert 'href="/shared-device/"' in main


@pytest.mark.django_db
def test_quick_exit_works_without_javascript_as_a_plain_link(client, settings):
    settings.QUICK_EXIT_URL = "https://weather.example/"
    page = client.get("/").content.decode()
    assert '<a class="quick-exit" id="quick-exit" href="https://weather.example/" rel="noreferrer"' in page


@pytest.mark.django_db
def test_the_quick_exit_script_runs_before_the_page_is_drawn(client):
    head = client.get("/").content.decode().split("</head>")[0]
    assert "quick-exit.js" in head and "quick-exit.js\" defer" not in head


@pytest.mark.django_db
def test_bookmarks_of_a_member_are_personal(auth_client, peer, other_peer, thread_factory):
    thread = thread_factory(author=other_peer)
    forum_services.bookmark_set(post=thread.posts.get(), peer=peer, on=True)
    response = auth_client.get("/bookmarks/")
    assert thread.title in response.content.decode() and _no_store(response)


@pytest.mark.django_db
def test_notifications_page_is_personal(auth_client, peer):
    peer_services.notification_send(recipient=peer, kind="test", text="a private notice")
    response = auth_client.get("/notifications/")
    assert "a private notice" in response.content.decode() and _no_store(response)
