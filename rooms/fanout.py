"""One channel-layer subscription per room per process, writing each room event to this process's sockets.

Without it every socket's consumer is its own member of the room's group: a message becomes one
channel-layer copy per socket, and Channels wakes each consumer through a database-connection check in
the shared sync thread before its handler runs (100 sockets: 100 hops in a row). Here the process's one
channel for the room receives the event once and hands it to every local socket it is addressed to
(`RoomConsumer.deliver`), whose writer sends it. Other processes have their own subscription, so the
group still reaches every process.

The room's other groups (one per person, and the room's hosts) come through the same channel, so one
socket gets all of a room's events in the order they were sent, as it did through its own channel.
Events name their group (`addressed`), which says which local sockets get them.

A socket is a member once `subscribe` returns: the room consumer relies on that to join before it
reads the backlog (docs/rooms.md, "Order and exactly-once").

New messages come in the room's order, each once, whatever the channel layer lost (docs/reliability.md).
Each new-message event (`"seq": true`) names the id of the room's message before it (`prev`); the fan-out
remembers the highest id it handed on (`high`). An event whose `prev` is not `high` means something in
between was lost (Redis was away when it was sent) or is still on its way from another process: the fan-out
reads the missing messages from the database (`CatchUp.events_after`) and hands them on first. An id at
or below `high` was already handed on and is dropped. After Redis comes back, and every few seconds, it
also reads whatever came after `high`, so a message whose broadcast was lost arrives even if nothing
follows it. The writer's own process hands the stored message on at once (`handle`), through the same path.
"""

import asyncio
import logging
import time
from typing import Awaitable, Callable, Protocol

logger = logging.getLogger(__name__)

RETRY_AFTER_ERROR = 0.5  # seconds before receiving again after the channel layer failed
CATCH_UP_PATIENCE = 30.0  # seconds a missing message is read from the database for before it is given up


def addressed(group: str, event: dict) -> dict:
    """`event` as sent to `group`: the fan-out delivers it to this process's sockets in that group."""
    return {**event, "group": group}


class LocalSocket(Protocol):
    channel_name: str

    def deliver(self, event: dict) -> None: ...


class CatchUp(Protocol):
    """Where a room's messages are read back from (rooms.consumers builds it on rooms.services)."""

    latest_id: Callable[[], Awaitable[int]]  # the room's highest message id now (0 if none)
    events_after: Callable[[int, int | None], Awaitable[list[dict]]]  # new-message events after an id, up to one


class RoomFanout:
    """This process's subscription to one room's groups and the local sockets it writes to."""

    def __init__(self, group: str, layer, catch_up: CatchUp | None = None):
        self.group = group  # the room's group: every socket of the room is in it
        self.layer = layer
        self.catch_up_source = catch_up
        self.loop = asyncio.get_running_loop()
        self.members: dict[str, dict[str, LocalSocket]] = {}  # group -> channel name -> socket, in joining order
        self.channel: str | None = None
        self.high: int | None = None  # the highest new message id handed to the local sockets
        self.caught_up = 0  # messages read back from the database (figures and tests)
        self._receiver: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self._order = asyncio.Lock()  # events are handed on one at a time, in order

    @property
    def sockets(self) -> dict[str, LocalSocket]:
        return self.members.get(self.group, {})

    async def subscribe(self, socket: LocalSocket, also: list[str] = ()) -> None:
        """Make `socket` a member of the room's group and of the groups in `also` (all of the same room)."""
        async with self._lock:
            if self.channel is None:
                # The layer's default prefix: channels-redis receives every "specific" channel of a process
                # through one Redis key per prefix, polled by whichever receiver holds its lock.
                self.channel = await self.layer.new_channel()
                self._receiver = asyncio.create_task(self._receive(self.channel))
                _fanouts.setdefault(self.group, self)
            for group in (self.group, *also):
                members = self.members.setdefault(group, {})
                members[socket.channel_name] = socket
                if len(members) == 1:
                    await self.layer.group_add(group, self.channel)
            if self.high is None and self.catch_up_source is not None:
                # Read after joining: anything later comes through the group; anything up to here is in the
                # backlog every socket reads after subscribing.
                latest = await self.catch_up_source.latest_id()
                async with self._order:
                    self.high = latest if self.high is None else max(self.high, latest)

    async def unsubscribe(self, socket: LocalSocket) -> None:
        async with self._lock:
            for group, members in list(self.members.items()):
                if members.get(socket.channel_name) is socket:
                    del members[socket.channel_name]
                    if not members:
                        del self.members[group]
                        await self.layer.group_discard(group, self.channel)
            if self.members or self.channel is None:
                return
            receiver, self.channel, self._receiver, self.high = self._receiver, None, None, None
            # Not awaited: a channel layer may turn the cancellation of a blocking read into an error, and the
            # loop then ends by itself because its channel is no longer this fan-out's.
            receiver.cancel()
            if _fanouts.get(self.group) is self:
                del _fanouts[self.group]

    async def refresh(self) -> None:
        """Renew the group memberships (channel layers expire them after a day)."""
        async with self._lock:
            for group in self.members:
                await self.layer.group_add(group, self.channel)

    async def _receive(self, channel: str) -> None:
        while self.channel == channel:
            try:
                event = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A layer may turn the cancellation of its blocking read into another error. Retrying then
                # would swallow the cancel: an event loop shutting down would wait on this task for ever.
                if self.channel != channel or asyncio.current_task().cancelling():
                    return
                logger.exception("room fan-out: receiving from the channel layer failed; retrying")
                await asyncio.sleep(RETRY_AFTER_ERROR)
                continue
            try:
                await self.handle(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("room fan-out: handing an event on failed")

    async def handle(self, event: dict) -> None:
        """Hand one room event to the local sockets it is addressed to; new messages in order, each once."""
        async with self._order:
            if event.get("seq") and self.catch_up_source is not None:
                await self._in_order(event)
            else:
                self._deliver(event)

    async def _in_order(self, event: dict) -> None:
        if self.high is not None:
            if event["id"] <= self.high:
                return  # handed on already (the writer's process, or read back from the database)
            if event.get("prev") != self.high:
                try:
                    missed = await self._read_back(after=self.high, upto=event["id"] - 1)
                except Exception:
                    logger.exception("room fan-out: reading missed messages failed; handing on without them")
                    missed = []
                for earlier in missed:
                    self._deliver(earlier)
        self._deliver(event)
        self.high = event["id"]

    async def catch_up(self) -> int:
        """Hand on every message stored after the last one handed on (after Redis was away). Returns how many."""
        if self.catch_up_source is None:
            return 0
        async with self._order:
            if self.high is None:
                return 0
            count = 0
            while missed := await self.catch_up_source.events_after(self.high, None):  # a page at a time
                for event in missed:
                    self._deliver(event)
                    self.high = max(self.high, event["id"])
                count += len(missed)
            self.caught_up += count
            return count

    async def _read_back(self, *, after: int, upto: int) -> list[dict]:
        """Messages after `after` up to `upto`, from the database; retried while the database does not answer."""
        deadline = time.monotonic() + CATCH_UP_PATIENCE
        missed: list[dict] = []
        while True:
            try:
                page = await self.catch_up_source.events_after(after, upto)  # a page at a time
            except Exception:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)
                continue
            if not page:
                self.caught_up += len(missed)
                return missed
            missed.extend(page)
            after = page[-1]["id"]

    def _deliver(self, event: dict) -> None:
        groups = event.get("to") or [event.get("group", self.group)]
        seen: set[str] = set()
        for group in groups:
            for socket in list(self.members.get(group, {}).values()):
                if socket.channel_name in seen:
                    continue
                seen.add(socket.channel_name)
                try:
                    socket.deliver(event)
                except Exception:  # one broken socket must not cost the others the event
                    logger.exception("room fan-out: delivering to %s failed", socket.channel_name)


_fanouts: dict[str, RoomFanout] = {}


def fanout_for(group: str, layer, catch_up: CatchUp | None = None) -> RoomFanout:
    """This process's fan-out of room group `group` (a new one if the layer or the event loop changed, as between tests)."""
    fanout = _fanouts.get(group)
    if fanout is None or fanout.layer is not layer or fanout.loop is not asyncio.get_running_loop():
        fanout = _fanouts[group] = RoomFanout(group, layer, catch_up)
    return fanout


def local_fanouts() -> list[RoomFanout]:
    loop = asyncio.get_running_loop()
    return [fanout for fanout in _fanouts.values() if fanout.loop is loop and fanout.channel is not None]
