"""The live room socket, /ws/rooms/<slug>/ (protocol in CONTRACTS.md). Thin: rooms.services decides."""

import asyncio
import collections
import logging
import time
from datetime import datetime
from urllib.parse import parse_qs

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from django.conf import settings
from django.db import DatabaseError, connections
from django.core.exceptions import PermissionDenied

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons import layers
from commons.channels import ALERTS_GROUP
from commons.consumers import CLOSE_SESSION_ENDED, GuardedConsumer
from commons.ids import parse_id
from commons.refusals import Refusal
from moderation import sanctions
from rooms import selectors, services
from rooms.fanout import RoomFanout, addressed, fanout_for, local_fanouts
from rooms.models import Room
from rooms.permissions import check_can_join, is_host

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404

NOT_JSON = _("Frames must be JSON text, like {\"type\": \"message\", \"body\": \"hi\"}.")
UNKNOWN_TYPE = _("Unknown frame type. Send \"message\" or \"typing\".")
REMOVED_NOW = _("A host removed you from this room.")

logger = logging.getLogger(__name__)


PRESENCE_DEBOUNCE = 0.5  # seconds: a burst of joins and leaves becomes one "presence" frame
_presence_scheduled: set[int] = set()  # rooms with an announcement pending in this process (not the count itself)
_background: set[asyncio.Task] = set()  # strong references, so pending announcements are not garbage-collected


def _in_background(coroutine) -> None:
    task = asyncio.create_task(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _announce_presence(room: Room, layer) -> None:
    """Tell the room its count once the burst settles. Each process announces its own changes;
    the count is read from the shared table, so the last announcement is right everywhere."""
    if room.pk in _presence_scheduled:
        return
    _presence_scheduled.add(room.pk)
    try:
        await asyncio.sleep(PRESENCE_DEBOUNCE)
    finally:
        _presence_scheduled.discard(room.pk)
    try:
        event = await database_sync_to_async(services.presence_event)(room=room)
        await layer.group_send(room.group_name, addressed(room.group_name, event))
    except Exception as error:  # Redis or the database is away: announced again when Redis is back
        logger.warning("room presence: announcing failed (%s)", type(error).__name__)


_local_channels: set[str] = set()  # this process's open room sockets, refreshed together
_heartbeat_task: asyncio.Task | None = None


async def _heartbeat() -> None:
    """One UPDATE per process per beat, not one per socket: sockets that connected together would otherwise
    all beat together and queue on the database thread in front of people's messages. Every few seconds in
    between, each room's fan-out reads back any message whose broadcast was lost (one indexed query a room)."""
    last_beat = time.monotonic()
    while _local_channels:
        await asyncio.sleep(min(settings.ROOMS_PRESENCE_HEARTBEAT, settings.ROOMS_CATCH_UP_SECONDS))
        if not _local_channels:
            break
        for fanout in local_fanouts():
            try:
                await fanout.catch_up()
            except Exception as error:  # the database is away: the next tick tries again
                logger.warning("room fan-out: catching up failed (%s)", type(error).__name__)
        if time.monotonic() - last_beat < settings.ROOMS_PRESENCE_HEARTBEAT:
            continue
        last_beat = time.monotonic()
        try:
            await database_sync_to_async(services.presence_touch)(channel_names=list(_local_channels))
            for fanout in local_fanouts():
                await fanout.refresh()
        except Exception as error:
            logger.warning("room heartbeat failed (%s)", type(error).__name__)


def _start_heartbeat(channel_name: str) -> None:
    global _heartbeat_task
    _local_channels.add(channel_name)
    if _heartbeat_task is None or _heartbeat_task.done() or _heartbeat_task.get_loop() is not asyncio.get_running_loop():
        _heartbeat_task = asyncio.create_task(_heartbeat())


@layers.on_recovery
async def _after_redis_came_back(layer) -> None:
    """Redis is back and the layer has rejoined its groups: hand on what was stored meanwhile, recount presence.
    A failure raises, so the watch tries again (and readiness stays false until it has worked)."""
    for fanout in local_fanouts():
        await fanout.catch_up()
        if isinstance(fanout.catch_up_source, _RoomCatchUp):
            _in_background(_announce_presence(fanout.catch_up_source.room, layer))


def _release_connections() -> None:
    """What Channels does around each database call, except that a worker thread keeps its SQLite connection:
    reopening it (with its PRAGMAs) on every call cost ~3 ms per chat message (docs/performance.md). The pool's
    threads live as long as the process; HTTP requests, each in a thread of its own, still close theirs."""
    for connection in connections.all(initialized_only=True):
        if connection.vendor != "sqlite" or connection.errors_occurred:
            connection.close_if_unusable_or_obsolete()


class _WorkerDatabaseSyncToAsync(SyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        _release_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            _release_connections()


def database_sync_to_async(func):
    """Run `func` in the thread pool, not Channels' one shared database thread: a burst of joins
    (each a write and a backlog read) would otherwise queue in front of people's messages."""
    return _WorkerDatabaseSyncToAsync(func, thread_sensitive=False)


def _after(query_string: bytes) -> int | None:
    values = parse_qs(query_string.decode("latin-1")).get("after", [])
    return parse_id(values[0]) if values else None


class _RoomCatchUp:
    """Where a room's fan-out reads back messages whose broadcast it missed (rooms.fanout.CatchUp)."""

    def __init__(self, room: Room):
        self.room = room

    async def latest_id(self) -> int:
        return await database_sync_to_async(services.latest_message_id)(room=self.room)

    async def events_after(self, after: int, upto: int | None) -> list[dict]:
        return await database_sync_to_async(services.message_events_after)(room=self.room, after=after, upto=upto)


class RoomConsumer(GuardedConsumer):
    not_json_detail = NOT_JSON

    room: Room | None = None
    fanout: RoomFanout | None = None
    groups_joined: tuple = ()
    last_sent_id = 0  # the highest message id this socket has sent (backlog or live): it sends each once, in order

    def run_sync(self, func):
        return database_sync_to_async(func)

    async def connect(self):
        self.room = None
        self.groups_joined: list[str] = []
        # Room events from this process's fan-out (rooms.fanout) wait here until hello and backlog are sent,
        # then one writer task at a time sends them in order.
        self.outbox: collections.deque[dict] = collections.deque()
        self.live = False
        self.writer: asyncio.Task | None = None
        # Accept first: a custom close code can only be sent on an accepted socket.
        await self.accept()
        user = await self.signed_in_user()
        if user is None:
            return
        try:
            room, hosting = await database_sync_to_async(self._admit)(user, self.scope["url_route"]["kwargs"]["slug"])
        except Room.DoesNotExist:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        except PermissionDenied:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        # Join the groups before reading the backlog, so nothing falls between the two. The room's groups
        # reach this socket through the process's fan-out (rooms.fanout), in one order; alerts through its own channel.
        room_groups = [room.peer_group_name(user.pk)]
        if hosting:
            room_groups.append(room.moderators_group_name)
        self.fanout = fanout_for(room.group_name, self.channel_layer, _RoomCatchUp(room))
        await self.fanout.subscribe(self, also=room_groups)
        await self.channel_layer.group_add(ALERTS_GROUP, self.channel_name)
        self.groups_joined = [ALERTS_GROUP]
        self.room = room
        after = _after(self.scope.get("query_string", b""))
        self.last_sent_id = after or 0
        online, names, backlog = await database_sync_to_async(self._enter)(after)
        hello = {"type": "hello", "room": room.slug, "me": user.username, "online": online}
        if room.show_names:
            hello["names"] = names
        await self.send_json(hello)
        for frame in backlog:
            self.last_sent_id = max(self.last_sent_id, frame["id"])
            await self.send_json(frame)
        self.live = True
        self._write_soon()
        _start_heartbeat(self.channel_name)
        _in_background(_announce_presence(room, self.channel_layer))

    def _admit(self, user, slug: str) -> tuple[Room, bool]:
        room = selectors.room_get(slug=slug)
        sanctions.check_can_connect(user)
        check_can_join(user, room)
        return room, is_host(user, room)

    def _enter(self, after: int | None):
        services.presence_join(room=self.room, peer=self.user, channel_name=self.channel_name)
        online, names = selectors.presence_online(room=self.room)
        backlog = [services.message_frame(m) for m in selectors.room_backlog(room=self.room, peer=self.user, after=after)]
        return online, names, backlog

    async def disconnect(self, code):
        """Runs once however the socket ended (commons.consumers); each step goes on if one before it failed."""
        _local_channels.discard(self.channel_name)
        try:
            await self._leave_fanout()
        except Exception as error:
            logger.warning("room socket: leaving the fan-out failed (%s)", type(error).__name__)
        for group in self.groups_joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception as error:
                logger.warning("room socket: leaving a group failed (%s)", type(error).__name__)
        if self.room is not None:
            room, self.room = self.room, None
            try:
                await database_sync_to_async(services.presence_leave)(room=room, channel_name=self.channel_name)
            except Exception as error:  # the row stops counting after ROOMS_PRESENCE_TTL; purge_rooms deletes it
                logger.warning("room socket: presence not removed (%s)", type(error).__name__)
            _in_background(_announce_presence(room, self.channel_layer))

    # --- room events from this process's fan-out -> this socket ----------------------------

    def deliver(self, event: dict) -> None:
        """Queue one room event for this socket (called by rooms.fanout; never blocks the other sockets)."""
        self.outbox.append(event)
        self._write_soon()

    def _write_soon(self) -> None:
        if self.live and self.outbox and self.writer is None:
            self.writer = asyncio.create_task(self._write_outbox())

    async def _write_outbox(self) -> None:
        try:
            while self.outbox:
                event = self.outbox.popleft()
                handler = getattr(self, get_handler_name(event), None)
                if handler is not None:
                    await handler(event)
        except Exception:  # the socket is going away; its disconnect cleans up
            logger.debug("room socket %s: dropping room events after a failed send", self.channel_name, exc_info=True)
            self.outbox.clear()
        finally:
            self.writer = None

    async def _leave_fanout(self) -> None:
        self.live = False
        self.outbox.clear()
        if self.fanout is not None:
            fanout, self.fanout = self.fanout, None
            await fanout.unsubscribe(self)

    # --- client -> server -------------------------------------------------------------

    def accepting_frames(self) -> bool:
        return self.room is not None

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "message":
            await self._send_message(content)
        elif kind == "typing":
            if await database_sync_to_async(services.typing_allowed)(room=self.room, peer=self.user):
                event = {"type": "room.typing", "author": self.user.username, "channel": self.channel_name}
                try:
                    await self.channel_layer.group_send(self.room.group_name, addressed(self.room.group_name, event))
                except layers.REDIS_ERRORS:
                    pass  # a typing notice is not worth an error
        else:
            await self.send_error(services.INVALID, UNKNOWN_TYPE)

    async def _send_message(self, content: dict) -> None:
        try:
            message = await database_sync_to_async(services.message_send)(
                room=self.room, author=self.user, body=content.get("body"), client_id=content.get("client_id")
            )
        except Refusal as refusal:
            await self.send_refusal(refusal)
            if refusal.detail == services.ACCOUNT_GONE:
                await self.close(code=CLOSE_SESSION_ENDED)
            return
        except DatabaseError as error:
            # Nothing was stored (rolled back), or a commit's answer was lost: either way the client sends the same
            # client_id again, and a stored one is answered with its echo.
            logger.warning("room socket: storing a message failed (%s)", type(error).__name__)
            await self.send_error(services.RATE_LIMITED, services.NOT_SAVED, retry=True)
            return
        if not message.resent:
            # This process's sockets get it now, whatever the channel layer does (rooms.fanout).
            await self.fanout.handle(message.room_event)
        elif message.id <= self.last_sent_id:
            # Sent before (the echo was lost on the way): the sender learns its id again.
            await self.send(text_data=message.room_event["text"])
            if not message.room_event["to"]:  # removed by a moderator since
                await self.send_json({"type": "message_removed", "id": message.id})
        else:
            await self.fanout.catch_up()  # stored, not yet sent here: it comes in order

    # --- channel layer -> this socket ---------------------------------------------------

    async def room_message(self, event):
        if event.get("seq"):
            if event["id"] <= self.last_sent_id:  # in the backlog this socket received, or sent already
                return
            self.last_sent_id = event["id"]
        await self.send(text_data=event["text"])

    async def room_removed(self, event):
        await self.send_json({"type": "message_removed", "id": event["id"]})

    async def room_presence(self, event):
        frame = {"type": "presence", "online": event["online"]}
        if event["names"]:
            frame["names"] = event["names"]
        await self.send_json(frame)

    async def room_typing(self, event):
        if event["channel"] != self.channel_name:
            await self.send_json({"type": "typing", "author": event["author"]})

    async def room_status(self, event):
        if self.room is not None:
            self.room.status = event["status"]
        await self.send_json({"type": "room_status", "status": event["status"]})

    async def room_muted(self, event):
        await self.send_error(services.MUTED, services.muted_words(datetime.fromisoformat(event["until"])))

    async def room_kick(self, event):
        await self._leave_fanout()  # nothing more from the room reaches a removed person
        await self.send_error(services.FORBIDDEN, REMOVED_NOW)
        await self.close(code=CLOSE_FORBIDDEN)

    async def alert_published(self, event):
        await self.send_json(event["frame"])
