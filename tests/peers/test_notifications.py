import pytest

from peers import services


@pytest.mark.django_db
def test_unread_count_shows_in_the_header_and_clears_once_read(auth_client, peer):
    services.notification_send(recipient=peer, kind="reply", text="willow replied to your thread", url="/t/1/")
    page = auth_client.get("/").content.decode()
    assert 'aria-label="1 unread"' in page
    listing = auth_client.get("/notifications/").content.decode()
    assert "willow replied to your thread" in listing
    assert 'aria-label="1 unread"' in auth_client.get("/").content.decode()  # opening the list writes nothing
    assert "Mark all as read" in listing and 'data-mark-read' in listing  # the page sends it once shown
    newest = peer.notifications.get().pk
    assert auth_client.post("/notifications/read/", {"up_to": newest}).status_code == 302
    assert 'aria-label="1 unread"' not in auth_client.get("/").content.decode()
    assert "Mark all as read" not in auth_client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_marking_read_leaves_a_notice_that_came_after_the_page(auth_client, peer):
    services.notification_send(recipient=peer, kind="reply", text="first", url="/t/1/")
    shown = peer.notifications.get().pk
    services.notification_send(recipient=peer, kind="reply", text="second, after the page", url="/t/1/")
    response = auth_client.post("/notifications/read/", {"up_to": shown}, HTTP_ACCEPT="application/json")
    assert response.status_code == 204
    assert list(peer.notifications.filter(read_at__isnull=True).values_list("text", flat=True)) == ["second, after the page"]


@pytest.mark.django_db
def test_marking_read_bad_inputs(auth_client, peer):
    from django.test import Client

    services.notification_send(recipient=peer, kind="reply", text="first", url="/t/1/")
    assert auth_client.get("/notifications/read/").status_code == 405
    assert Client().post("/notifications/read/", {"up_to": 1}).status_code == 302  # a visitor: to the log-in page
    assert peer.notifications.filter(read_at__isnull=True).count() == 1
    for bad in ("", "x", "-1", "99999999999999999999999"):  # no number: everything shown so far is read
        auth_client.post("/notifications/read/", {"up_to": bad})
    assert peer.notifications.filter(read_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_nobody_to_notify_for_a_former_member():
    assert services.notification_send(recipient=None, kind="reply", text="x") is False


@pytest.mark.django_db
def test_notifications_are_private(client, peer, other_peer):
    services.notification_send(recipient=peer, kind="reply", text="for river only")
    client.force_login(other_peer)
    assert "for river only" not in client.get("/notifications/").content.decode()
    client.logout()
    assert client.get("/notifications/").status_code == 302


@pytest.mark.django_db
def test_the_cached_unread_count_follows_every_new_notice(auth_client, peer, django_assert_num_queries):
    assert 'aria-label="1 unread"' not in auth_client.get("/").content.decode()  # 0 is now cached
    services.notification_send(recipient=peer, kind="reply", text="first")
    assert 'aria-label="1 unread"' in auth_client.get("/").content.decode()
    services.notification_send(recipient=peer, kind="mention", text="second")
    assert 'aria-label="2 unread"' in auth_client.get("/").content.decode()
    services.notifications_mark_read(peer=peer)
    assert "unread" not in auth_client.get("/about/").content.decode()


@pytest.mark.django_db
def test_the_header_count_is_read_from_the_cache_once_known(auth_client, peer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    auth_client.get("/about/")
    with CaptureQueriesContext(connection) as queries:
        auth_client.get("/about/")
    assert not [q for q in queries.captured_queries if "peers_notification" in q["sql"]]
