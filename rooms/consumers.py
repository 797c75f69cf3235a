"""The live room socket, /ws/rooms/<slug>/ (protocol in CONTRACTS.md). Thin: rooms.services decides."""

import asyncio
import collections
import logging
from urllib.parse import parse_qs

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from django.conf import settings
from django.db import connections
from django.core.exceptions import PermissionDenied

from commons.channels import ALERTS_GROUP
from commons.ids import parse_id
from commons.consumers import JsonObjectConsumer
from moderation import sanctions
from rooms import selectors, services
from rooms.fanout import RoomFanout, addressed, fanout_for, local_fanouts
from rooms.models import Room
from rooms.permissions import check_can_join, is_host

CLOSE_ANONYMOUS = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404

NOT_JSON = "Frames must be JSON text, like {\"type\": \"message\", \"body\": \"hi\"}."
UNKNOWN_TYPE = "Unknown frame type. Send \"message\" or \"typing\"."
REMOVED_NOW = "A host removed you from this room."

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
    event = await database_sync_to_async(services.presence_event)(room=room)
    await layer.group_send(room.group_name, addressed(room.group_name, event))


_local_channels: set[str] = set()  # this process's open room sockets, refreshed together
_heartbeat_task: asyncio.Task | None = None


async def _heartbeat() -> None:
    """One UPDATE per process per beat, not one per socket: sockets that connected together would otherwise
    all beat together and queue on the database thread in front of people's messages."""
    while _local_channels:
        await asyncio.sleep(settings.ROOMS_PRESENCE_HEARTBEAT)
        if _local_channels:
            await database_sync_to_async(services.presence_touch)(channel_names=list(_local_channels))
        for fanout in local_fanouts():
            await fanout.refresh()


def _start_heartbeat(channel_name: str) -> None:
    global _heartbeat_task
    _local_channels.add(channel_name)
    if _heartbeat_task is None or _heartbeat_task.done() or _heartbeat_task.get_loop() is not asyncio.get_running_loop():
        _heartbeat_task = asyncio.create_task(_heartbeat())


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


class RoomConsumer(JsonObjectConsumer):
    not_json_detail = NOT_JSON

    room: Room | None = None
    fanout: RoomFanout | None = None

    async def connect(self):
        self.room = None
        self.groups_joined: list[str] = []
        self.sent_on_connect: set[int] = set()
        # Room events from this process's fan-out (rooms.fanout) wait here until hello and backlog are sent,
        # then one writer task at a time sends them in order.
        self.outbox: collections.deque[dict] = collections.deque()
        self.live = False
        self.writer: asyncio.Task | None = None
        # Accept first: a custom close code can only be sent on an accepted socket.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_ANONYMOUS)
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
        self.fanout = fanout_for(room.group_name, self.channel_layer)
        await self.fanout.subscribe(self, also=room_groups)
        await self.channel_layer.group_add(ALERTS_GROUP, self.channel_name)
        self.groups_joined = [ALERTS_GROUP]
        self.room = room
        online, names, backlog = await database_sync_to_async(self._enter)(_after(self.scope.get("query_string", b"")))
        hello = {"type": "hello", "room": room.slug, "me": user.username, "online": online}
        if room.show_names:
            hello["names"] = names
        await self.send_json(hello)
        for frame in backlog:
            self.sent_on_connect.add(frame["id"])
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
        _local_channels.discard(self.channel_name)
        await self._leave_fanout()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.room is not None:
            room, self.room = self.room, None
            await database_sync_to_async(services.presence_leave)(room=room, channel_name=self.channel_name)
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
            try:
                await database_sync_to_async(services.message_send)(
                    room=self.room, author=self.user, body=content.get("body"), client_id=content.get("client_id")
                )
            except services.RoomRefusal as refusal:
                await self.send_error(refusal.code, refusal.detail)
        elif kind == "typing":
            if await database_sync_to_async(services.typing_allowed)(room=self.room, peer=self.user):
                event = {"type": "room.typing", "author": self.user.username, "channel": self.channel_name}
                await self.channel_layer.group_send(self.room.group_name, addressed(self.room.group_name, event))
        else:
            await self.send_error(services.INVALID, UNKNOWN_TYPE)

    # --- channel layer -> this socket ---------------------------------------------------

    async def room_message(self, event):
        if event["id"] in self.sent_on_connect:  # already in the backlog this socket received
            return
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
        await self.send_error(services.MUTED, event["detail"])

    async def room_kick(self, event):
        await self._leave_fanout()  # nothing more from the room reaches a removed person
        await self.send_error(services.FORBIDDEN, REMOVED_NOW)
        await self.close(code=CLOSE_FORBIDDEN)

    async def alert_published(self, event):
        await self.send_json(event["frame"])
