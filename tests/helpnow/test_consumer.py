"""The supporters' board socket, /ws/supporters/, and the private room's socket visibility."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser

from helpnow import consumers, services
from helpnow.models import HelpRequest

pytestmark = [pytest.mark.django_db(transaction=True)]

db = sync_to_async


async def recv(communicator, timeout=3):
    return await communicator.receive_json_from(timeout=timeout)


async def until(communicator, kind, *, where=lambda frame: True, timeout=3):
    """The next frame of type `kind` (matching `where`), skipping others."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        frame = await recv(communicator, timeout=max(0.05, deadline - loop.time()))
        if frame["type"] == kind and where(frame):
            return frame


async def test_anonymous_is_closed_4401(connect):
    communicator = await connect(AnonymousUser())
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}


async def test_members_and_moderators_without_the_support_role_are_closed_4403(connect, peer, moderator):
    for who in (peer, moderator):
        communicator = await connect(who)
        assert await communicator.receive_output() == {"type": "websocket.close", "code": 4403}


async def test_supporter_gets_the_board_and_a_new_request_appears_without_reload(connect, supporter, peer, on_duty, ask):
    await db(on_duty)(supporter)
    board = await connect(supporter)
    first = await until(board, "board")
    assert first["waiting"] == [] and first["me"]["on_duty"] is True and first["me"]["max_claims"] == 2
    await db(ask)(peer, happening="Need to talk", danger="yes")
    push = await until(board, "push")
    assert push["reason"] == "new" and "may be in danger" in push["text"]
    snapshot = await until(board, "board", where=lambda f: f["waiting"])
    item = snapshot["waiting"][0]
    assert item["happening"] == "Need to talk" and item["may_be_in_danger"] and item["overdue"] is False
    assert "person" not in item and item["url"] is None  # no name, no link before claiming


async def test_on_a_break_no_push_but_the_board_still_updates(connect, supporter, peer, on_duty, ask):
    await db(on_duty)(supporter)
    await db(services.break_set)(supporter=supporter, on=True)
    board = await connect(supporter)
    await until(board, "board")
    await db(ask)(peer)
    frame = await recv(board)
    assert frame["type"] == "board" and len(frame["waiting"]) == 1
    with pytest.raises(asyncio.TimeoutError):
        await until(board, "push", timeout=0.3)


async def test_two_supporters_claim_at_once_one_wins_the_other_is_told(connect, supporter, other_supporter, peer, on_duty, ask):
    await db(on_duty)(supporter, other_supporter)
    help_request = await db(ask)(peer)
    lee, kai = await connect(supporter), await connect(other_supporter)
    await until(lee, "board")
    await until(kai, "board")
    await asyncio.gather(
        lee.send_json_to({"type": "claim", "id": help_request.pk}), kai.send_json_to({"type": "claim", "id": help_request.pk})
    )
    outcomes = {}
    for name, socket in (("lee", lee), ("kai", kai)):
        frame = await recv(socket)
        while frame["type"] not in ("claimed", "error"):
            frame = await recv(socket)
        outcomes[name] = frame
    kinds = sorted(frame["type"] for frame in outcomes.values())
    assert kinds == ["claimed", "error"]
    error = next(frame for frame in outcomes.values() if frame["type"] == "error")
    assert error == {"type": "error", "code": "taken", "detail": services.ALREADY_TAKEN}
    winner = next(name for name, frame in outcomes.items() if frame["type"] == "claimed")
    assert outcomes[winner]["url"] == f"/get-help/{help_request.pk}/"
    loser_socket = kai if winner == "lee" else lee
    seen = await until(loser_socket, "board", where=lambda f: f["active"])
    assert seen["waiting"] == [] and seen["active"][0]["claimed_by"] == ("sup-lee" if winner == "lee" else "sup-kai")
    assert await db(lambda: HelpRequest.objects.get().status)() == HelpRequest.Status.CLAIMED


async def test_claim_limit_over_the_socket(connect, supporter, peer_factory, on_duty, ask, settings):
    settings.HELPNOW_MAX_OPEN_CLAIMS = 1
    await db(on_duty)(supporter)
    first = await db(ask)(await db(peer_factory)())
    second = await db(ask)(await db(peer_factory)())
    board = await connect(supporter)
    await board.send_json_to({"type": "claim", "id": first.pk})
    await until(board, "claimed")
    await board.send_json_to({"type": "claim", "id": second.pk})
    error = await until(board, "error")
    assert error["code"] == "limit" and error["detail"] == services.CLAIM_LIMIT.format(limit=1)


@pytest.mark.parametrize(
    "raw, code, detail",
    [
        ("not json", "invalid", consumers.NOT_JSON),
        ('["a list"]', "invalid", consumers.NOT_JSON),
        ('{"type": "shout"}', "invalid", consumers.UNKNOWN_TYPE),
        ('{"type": "claim"}', "invalid", consumers.BAD_ID),
        ('{"type": "claim", "id": "7"}', "invalid", consumers.BAD_ID),
        ('{"type": "claim", "id": true}', "invalid", consumers.BAD_ID),
        ('{"type": "claim", "id": -3}', "invalid", consumers.BAD_ID),
        ('{"type": "backup", "id": 1.5}', "invalid", consumers.BAD_ID),
        ('{"type": "claim", "id": 999999}', "closed", consumers.NO_SUCH_REQUEST),
    ],
)
async def test_bad_frames_are_answered_with_an_error_and_change_nothing(connect, supporter, on_duty, raw, code, detail):
    await db(on_duty)(supporter)
    board = await connect(supporter)
    await until(board, "board")
    await board.send_to(text_data=raw)
    assert await until(board, "error") == {"type": "error", "code": code, "detail": detail}
    await board.send_json_to({"type": "refresh"})  # the socket stays open
    assert (await until(board, "board"))["active"] == []


async def test_backup_over_the_socket(connect, supporter, other_supporter, peer, on_duty, ask):
    await db(on_duty)(supporter, other_supporter)
    help_request = await db(ask)(peer)
    await db(services.request_claim)(help_request=help_request, supporter=supporter)
    kai = await connect(other_supporter)
    await until(kai, "board")
    await kai.send_json_to({"type": "backup", "id": help_request.pk})
    assert (await until(kai, "error"))["detail"] == services.NO_BACKUP_ASKED
    await db(services.request_backup_ask)(help_request=help_request, by=supporter)
    push = await until(kai, "push")
    assert push["reason"] == "backup"
    await kai.send_json_to({"type": "backup", "id": help_request.pk})
    assert (await until(kai, "joined"))["url"] == f"/get-help/{help_request.pk}/"


async def test_open_boards_escalate_a_long_wait(connect, supporter, peer, on_duty, ask, settings):
    settings.HELPNOW_ESCALATION_CHECK_SECONDS = 0.1
    settings.HELPNOW_ESCALATE_AFTER_SECONDS = 1
    await db(on_duty)(supporter)
    await db(ask)(peer)
    board = await connect(supporter)
    await until(board, "board")
    push = await until(board, "push", where=lambda f: f["reason"] == "waiting", timeout=4)
    assert "waiting for help for a while" in push["text"]
    snapshot = await until(board, "board")
    assert snapshot["waiting"][0]["overdue"] is True
    assert await db(lambda: HelpRequest.objects.get().escalations)() >= 1


async def test_private_room_socket_admits_the_person_claimers_and_moderators_only(connect, peer, other_peer, supporter, other_supporter, moderator, on_duty, ask):
    await db(on_duty)(supporter, other_supporter)
    help_request = await db(ask)(peer)
    await db(services.request_claim)(help_request=help_request, supporter=supporter)
    path = f"/ws/rooms/{help_request.room.slug}/"
    for who in (peer, supporter, moderator):
        socket = await connect(who, path)
        hello = await recv(socket)
        assert hello["type"] == "hello" and hello["me"] == who.username
    for who in (other_peer, other_supporter):
        socket = await connect(who, path)
        assert (await socket.receive_output())["code"] == 4403


async def test_person_and_supporter_exchange_messages_in_the_private_room(connect, peer, supporter, on_duty, ask):
    await db(on_duty)(supporter)
    help_request = await db(ask)(peer)
    await db(services.request_claim)(help_request=help_request, supporter=supporter)
    path = f"/ws/rooms/{help_request.room.slug}/"
    person, helper = await connect(peer, path), await connect(supporter, path)
    await until(person, "hello")
    await until(helper, "hello")
    await person.send_json_to({"type": "message", "body": "hi, are you there?", "client_id": "p1"})
    got = await until(helper, "message")
    assert got["author"] == "river" and got["body_html"] == "<p>hi, are you there?</p>"
    await db(services.request_resolve)(help_request=help_request, by=supporter, note="")
    assert (await until(person, "room_status"))["status"] == "closed"


async def test_status_socket_follows_the_conversation_for_its_people_only(connect, peer, other_peer, supporter, moderator, on_duty, ask):
    await db(on_duty)(supporter)
    help_request = await db(ask)(peer)
    path = f"/ws/help/{help_request.pk}/"
    person = await connect(peer, path)
    first = await recv(person)
    assert first["type"] == "status" and first["status"] == "waiting" and "1 supporter is on duty" in first["text"]
    for who in (other_peer, supporter):  # the supporter has not claimed it yet
        socket = await connect(who, path)
        assert (await socket.receive_output())["code"] == 4403
    assert (await (await connect(AnonymousUser(), path)).receive_output())["code"] == 4401
    assert (await (await connect(peer, "/ws/help/999999/")).receive_output())["code"] == 4403
    watcher = await connect(moderator, path)
    assert (await recv(watcher))["status"] == "waiting"
    await db(services.request_claim)(help_request=help_request, supporter=supporter)
    claimed = await until(person, "status")
    assert claimed["status"] == "claimed" and claimed["text"].startswith("sup-lee, a peer supporter, is here with you")
    await person.send_to(text_data="hello?")
    assert (await until(person, "error"))["code"] == "invalid"
    await db(services.request_end)(help_request=help_request, by=peer)
    assert (await until(person, "status"))["status"] == "resolved"
