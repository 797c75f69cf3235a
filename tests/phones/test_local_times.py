"""Every time in the reader's time zone, in one format (issue 17): the browser's zone is sent once and kept in the
account for a member and in the `tz` cookie for a visitor; a name that is no zone is ignored."""

from datetime import datetime, timezone

import pytest

from peers.models import Peer
from rooms import services as room_services
from rooms.models import Room
from tests.browser import open_page
from tests.conftest import session_key_for

STARTS = datetime(2026, 11, 29, 20, 5, tzinfo=timezone.utc)


@pytest.fixture
def room(db, organiser):
    return room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE,
                                     starts_at=STARTS)


@pytest.mark.parametrize("cookie,shown", [
    ("Asia/Tokyo", "30 Nov 2026, 05:05"),
    ("America/Mexico_City", "29 Nov 2026, 14:05"),
    ("", "29 Nov 2026, 20:05"),
    ("Not/AZone", "29 Nov 2026, 20:05"),
    ("../../etc/passwd", "29 Nov 2026, 20:05"),
    ("x" * 300, "29 Nov 2026, 20:05"),
])
def test_a_visitor_sees_times_in_the_zone_of_their_cookie(client, room, cookie, shown):
    client.cookies["tz"] = cookie
    page = client.get("/rooms/").content.decode() + client.get("/rooms/evening/").content.decode()
    assert f'<time datetime="2026-11-29T20:05:00+00:00" data-when>{shown}</time>' in page


def test_a_member_sees_the_zone_kept_in_their_account(client, room, peer):
    client.force_login(peer)
    client.cookies["tz"] = "Asia/Tokyo"
    assert client.post("/settings/time-zone/", {"time_zone": "America/Mexico_City"}).status_code == 204
    assert Peer.objects.get(pk=peer.pk).time_zone == "America/Mexico_City"
    assert "29 Nov 2026, 14:05" in client.get("/rooms/evening/").content.decode()  # the account's, not the cookie's


@pytest.mark.parametrize("bad", ["", "Not/AZone", "UTC; DROP TABLE", "x" * 100])
def test_a_zone_that_is_no_zone_is_refused(client, peer, bad):
    client.force_login(peer)
    assert client.post("/settings/time-zone/", {"time_zone": bad}).status_code == 400
    assert Peer.objects.get(pk=peer.pk).time_zone == ""


def test_a_visitor_cannot_post_a_zone_and_a_get_stores_nothing(client, peer):
    assert client.post("/settings/time-zone/", {"time_zone": "Asia/Tokyo"}).status_code == 302  # to log in
    client.force_login(peer)
    assert client.get("/settings/time-zone/").status_code == 405


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_the_browser_tells_its_zone_once_and_times_follow_it(asgi_server, browser, organiser, peer, signed_in):
    from playwright.sync_api import expect

    room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE, starts_at=STARTS)
    page = open_page(browser, timezone_id="Asia/Tokyo", base_url=asgi_server,
                     session_key=session_key_for(peer) if signed_in else None)
    page.goto(asgi_server + "/rooms/")
    expect(page.locator("time[data-when]").first).to_have_text("30 Nov 2026, 05:05")  # redrawn on the first page
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get("tz") == "Asia/Tokyo"
    if signed_in:
        for _ in range(50):
            if Peer.objects.get(pk=peer.pk).time_zone:
                break
            page.wait_for_timeout(100)
        assert Peer.objects.get(pk=peer.pk).time_zone == "Asia/Tokyo"
    with page.expect_response(lambda r: r.url.endswith("/rooms/")) as answer:
        page.reload()
    assert "30 Nov 2026, 05:05" in answer.value.text()  # the server now prints it so itself
    assert page.problems == []
