"""Spot me's sockets: who may open them, the live alarm on the spotter's pages (with the note), the session
state for the member (no note for others before an alarm), and read-only frames."""

import contextlib

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from spotting import services
from spotting.routing import websocket_urlpatterns
from tests.conftest import make_peer

pytestmark = pytest.mark.django_db(transaction=True)
ROUTER = URLRouter(websocket_urlpatterns)
NOTE = "Flat 3, door code 1234. Call Sam."


@contextlib.asynccontextmanager
async def _socket(peer, path):
    communicator = WebsocketCommunicator(ROUTER, path)
    communicator.scope["user"] = peer
    connected, _ = await communicator.connect()
    assert connected
    try:
        yield communicator
    finally:
        await communicator.disconnect()


async def _next(communicator, kind, timeout=3):
    while True:
        frame = await communicator.receive_json_from(timeout)
        if frame["type"] == kind:
            return frame


async def test_anonymous_4401_and_member_4403(member):
    async with _socket(AnonymousUser(), "/ws/spot/") as anonymous:
        assert (await anonymous.receive_output(3))["code"] == 4401
    async with _socket(member, "/ws/spot/") as plain:
        assert (await plain.receive_output(3))["code"] == 4403


async def test_alarm_reaches_every_open_page_of_the_spotter_with_the_note(claimed, spotter):
    async with _socket(spotter, "/ws/spot/") as page_one, _socket(spotter, "/ws/spot/") as page_two:
        for page in (page_one, page_two):
            board = await _next(page, "board")
            assert NOTE not in board["html"]
        await database_sync_to_async(services.alarms_raise)(now=claimed.alarm_due_at)
        for page in (page_one, page_two):
            alarm = await _next(page, "alarm")
            assert alarm["id"] == claimed.pk and not alarm.get("again") and NOTE in alarm["html"]
            assert "Give naloxone" in alarm["html"]


async def test_new_request_is_pushed_to_supporters_on_duty(spotter, member):
    async with _socket(spotter, "/ws/spot/") as page:
        await _next(page, "board")
        await database_sync_to_async(services.session_start)(member=member, interval_minutes=5, length_minutes=30)
        push = await _next(page, "push")
        assert "spotted" in push["text"]


async def test_session_socket_state_and_note(claimed, spotter, second_supporter):
    async with _socket(claimed.member, f"/ws/spot/{claimed.pk}/") as mine:
        state = (await _next(mine, "session"))["state"]
        assert state["status"] == "active" and state["note"] == NOTE and state["check_due"]
        await database_sync_to_async(services.session_ok)(session=claimed, by=claimed.member)
        assert (await _next(mine, "session"))["state"]["last_ok"] != state["last_ok"]
        await mine.send_json_to({"type": "ok"})
        assert (await _next(mine, "error"))["code"] == "invalid"
    async with _socket(spotter, f"/ws/spot/{claimed.pk}/") as theirs:
        assert "note" not in (await _next(theirs, "session"))["state"]
    async with _socket(second_supporter, f"/ws/spot/{claimed.pk}/") as other:
        assert (await other.receive_output(3))["code"] == 4403


async def test_alarm_reaches_the_spotters_every_page_over_the_alerts_socket_and_nobody_elses(claimed, spotter, second_supporter, member):
    """Every page of the site opens /ws/alerts/ (safety): the alarm reaches the spotter's there too, with the note,
    the link to the session and the overdose steps; another supporter's and the member's do not get it."""
    from safety.routing import websocket_urlpatterns as alerts_urls
    alerts = URLRouter(alerts_urls)

    @contextlib.asynccontextmanager
    async def page(peer):
        communicator = WebsocketCommunicator(alerts, "/ws/alerts/")
        communicator.scope["user"] = peer
        assert (await communicator.connect())[0]
        try:
            yield communicator
        finally:
            await communicator.disconnect()

    async with page(spotter) as spotters, page(second_supporter) as others, page(member) as members:
        await database_sync_to_async(services.alarms_raise)(now=claimed.alarm_due_at)
        frame = await _next(spotters, "spot_alarm")
        assert frame["id"] == claimed.pk and NOTE in frame["html"] and "Give naloxone" in frame["html"]
        assert f"/get-help/spot/{claimed.pk}/" in frame["html"]
        assert await others.receive_nothing(0.5) and await members.receive_nothing(0.2)


async def test_spotter_gone_the_alerts_socket_of_every_supporter_on_duty_gets_it(claimed, spotter, second_supporter, member):
    from helpnow import services as helpnow_services
    from safety.routing import websocket_urlpatterns as alerts_urls
    await database_sync_to_async(helpnow_services.duty_set)(supporter=spotter, on=False)
    communicator = WebsocketCommunicator(URLRouter(alerts_urls), "/ws/alerts/")
    communicator.scope["user"] = second_supporter
    assert (await communicator.connect())[0]
    try:
        await database_sync_to_async(services.alarms_raise)(now=claimed.alarm_due_at)
        frame = await _next(communicator, "spot_alarm")
        assert frame["id"] == claimed.pk and NOTE in frame["html"]
    finally:
        await communicator.disconnect()
