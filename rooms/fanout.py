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
"""

import asyncio
import logging
from typing import Protocol

logger = logging.getLogger(__name__)

RETRY_AFTER_ERROR = 0.5  # seconds before receiving again after the channel layer failed


def addressed(group: str, event: dict) -> dict:
    """`event` as sent to `group`: the fan-out delivers it to this process's sockets in that group."""
    return {**event, "group": group}


class LocalSocket(Protocol):
    channel_name: str

    def deliver(self, event: dict) -> None: ...


class RoomFanout:
    """This process's subscription to one room's groups and the local sockets it writes to."""

    def __init__(self, group: str, layer):
        self.group = group  # the room's group: every socket of the room is in it
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.members: dict[str, dict[str, LocalSocket]] = {}  # group -> channel name -> socket, in joining order
        self.channel: str | None = None
        self._receiver: asyncio.Task | None = None
        self._lock = asyncio.Lock()

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
            receiver, self.channel, self._receiver = self._receiver, None, None
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
            for socket in list(self.members.get(event.get("group", self.group), {}).values()):
                try:
                    socket.deliver(event)
                except Exception:  # one broken socket must not cost the others the event
                    logger.exception("room fan-out: delivering to %s failed", socket.channel_name)


_fanouts: dict[str, RoomFanout] = {}


def fanout_for(group: str, layer) -> RoomFanout:
    """This process's fan-out of room group `group` (a new one if the layer or the event loop changed, as between tests)."""
    fanout = _fanouts.get(group)
    if fanout is None or fanout.layer is not layer or fanout.loop is not asyncio.get_running_loop():
        fanout = _fanouts[group] = RoomFanout(group, layer)
    return fanout


def local_fanouts() -> list[RoomFanout]:
    loop = asyncio.get_running_loop()
    return [fanout for fanout in _fanouts.values() if fanout.loop is loop and fanout.channel is not None]
