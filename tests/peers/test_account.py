import json

import pytest

from forum.models import Post
from peers.models import Peer
from rooms import services as room_services
from rooms.models import Room


@pytest.mark.django_db
def test_profile_shows_the_bio_sanitised_at_write(auth_client, peer):
    auth_client.post("/settings/", {"bio": "Hi, I'm **River**.<script>alert(1)</script>"})
    peer.refresh_from_db()
    assert "<strong>River</strong>" in peer.bio_html
    assert "<script" not in peer.bio_html
    page = auth_client.get(f"/u/{peer.username}/").content.decode()
    assert "<strong>River</strong>" in page


@pytest.mark.django_db
def test_bio_too_long_is_refused_and_not_stored(auth_client, peer):
    response = auth_client.post("/settings/", {"bio": "x" * 2001})
    assert response.status_code == 400
    peer.refresh_from_db()
    assert peer.bio == ""


@pytest.mark.django_db
def test_unknown_profile_is_404(client):
    assert client.get("/u/nobody-at-all/").status_code == 404


@pytest.mark.django_db
def test_settings_need_a_login(client):
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_export_holds_profile_posts_and_messages(auth_client, peer, thread_factory, organiser):
    auth_client.post("/settings/", {"bio": "my bio"})
    thread_factory(author=peer, title="My thread", body="my first post")
    room = room_services.room_create(slug="support", title="Support", host=organiser, status=Room.Status.LIVE)
    room_services.message_store(room=room, author=peer, body="hello room")
    response = auth_client.get("/settings/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["profile"]["pseudonym"] == peer.username
    assert data["profile"]["bio"] == "my bio"
    assert [p["body"] for p in data["posts"]] == ["my first post"]
    assert [m["body"] for m in data["room_messages"]] == ["hello room"]
    assert "recovery_code_hash" not in response.content.decode()
    assert "password" not in response.content.decode()


@pytest.mark.django_db
def test_export_holds_nothing_of_other_people(auth_client, other_peer, thread_factory):
    thread_factory(author=other_peer, body="someone else's words")
    assert "someone else" not in auth_client.get("/settings/export/").content.decode()


@pytest.mark.django_db
def test_a_profile_offers_members_a_report_link_but_not_on_your_own(client, peer, other_peer):
    client.force_login(other_peer)
    assert f"target=user:{peer.username}" in client.get(f"/u/{peer.username}/").content.decode()
    assert "target=user:" not in client.get(f"/u/{other_peer.username}/").content.decode()


@pytest.mark.django_db
def test_export_holds_everything_of_theirs_across_apps(auth_client, peer, other_peer, thread_factory, organiser):
    """What "delete my account" will remove is in the export first: threads started, every earlier version of a
    post, notifications, rooms hosted, held content with its status."""
    from forum import services as forum_services
    from peers import roles
    from peers import services as peer_services

    thread = thread_factory(author=peer, title="Tapering notes", body="week one")
    post = thread.posts.get()
    forum_services.post_edit(post=post, by=peer, body="week one, edited")
    peer_services.notification_send(recipient=peer, kind="test", text="someone replied")
    peer_services.role_grant(peer=peer, role=roles.ORGANISER)
    room_services.room_create(slug="my-room", title="River's room", host=Peer.objects.get(pk=peer.pk), topic="a topic I wrote")
    data = auth_client.get("/settings/export/").json()
    assert [t["title"] for t in data["threads_started"]] == ["Tapering notes"]
    (exported,) = data["posts"]
    assert exported["body"] == "week one, edited" and exported["status"] == "approved"
    assert [v["body"] for v in exported["earlier_versions"]] == ["week one"]
    assert "someone replied" in [n["text"] for n in data["notifications"]]
    assert [r["topic"] for r in data["rooms_hosted"]] == ["a topic I wrote"]
    for key in ("reactions", "bookmarks", "subscriptions", "reading_positions", "room_messages", "room_mutes", "room_removals",
                "help_requests", "supporter_duty", "drug_alerts", "alerts_seen", "service_suggestions", "moderation"):
        assert key in data, key
