import pytest

from peers import services


@pytest.mark.django_db
def test_unread_count_shows_in_the_header_and_clears_once_read(auth_client, peer):
    services.notification_send(recipient=peer, kind="reply", text="willow replied to your thread", url="/t/1/")
    page = auth_client.get("/").content.decode()
    assert 'aria-label="1 unread"' in page
    listing = auth_client.get("/notifications/").content.decode()
    assert "willow replied to your thread" in listing
    assert 'aria-label="1 unread"' not in auth_client.get("/").content.decode()


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
