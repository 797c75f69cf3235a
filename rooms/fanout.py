"""One channel-layer subscription per room per process, writing each room event to this process's sockets.

Without it every socket's consumer is its own member of the room's group: a message becomes one
channel-layer copy per socket, and Channels wakes each consumer through a database-connection check in
the shared sync thread before its handler runs (100 sockets: 100 hops in a row). Here the process's one
channel receives the event once and hands it to every local socket (`RoomConsumer.deliver`), whose
writer sends it. Other processes have their own subscription, so the group still reaches every process.

A socket that subscribes is a member once `subscribe` returns: the room consumer relies on that to join
before it reads the backlog (docs/rooms.md, "Order and exactly-once").
"""

import asyncio
import contextlib
import logging
from typing import Protocol

logger = logging.getLogger(__name__)

RETRY_AFTER_ERROR = 0.5  # seconds before receiving again after the channel layer failed


class LocalSocket(Protocol):
    channel_name: str

    def deliver(self, event: dict) -> None: ...


class RoomFanout:
    """This process's subscription to one group and the local sockets it writes to."""

    def __init__(self, group: str, layer):
        self.group = group
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.sockets: dict[str, LocalSocket] = {}  # channel name -> socket, in joining order
        self.channel: str | None = None
        self._receiver: asyncio.Task | None = None
        self._lock = asyncio.Lock()

    async def subscribe(self, socket: LocalSocket) -> None:
        self.sockets[socket.channel_name] = socket
        async with self._lock:
            if self.channel is None:
                # The layer's default prefix: channels-redis receives every "specific" channel of a process
                # through one Redis key per prefix, polled by whichever receiver holds its lock.
                channel = await self.layer.new_channel()
                await self.layer.group_add(self.group, channel)
                self.channel = channel
                self._receiver = asyncio.create_task(self._receive(channel))
                _fanouts.setdefault(self.group, self)

    async def unsubscribe(self, socket: LocalSocket) -> None:
        if self.sockets.get(socket.channel_name) is socket:
            del self.sockets[socket.channel_name]
        async with self._lock:
            if self.sockets or self.channel is None:
                return
            channel, receiver = self.channel, self._receiver
            self.channel, self._receiver = None, None
            if _fanouts.get(self.group) is self:
                del _fanouts[self.group]
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await receiver
            await self.layer.group_discard(self.group, channel)

    async def refresh(self) -> None:
        """Renew the group membership (channel layers expire it after a day)."""
        if self.channel is not None:
            await self.layer.group_add(self.group, self.channel)

    async def _receive(self, channel: str) -> None:
        while True:
            try:
                event = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("room fan-out: receiving from the channel layer failed; retrying")
                await asyncio.sleep(RETRY_AFTER_ERROR)
                continue
            for socket in list(self.sockets.values()):
                socket.deliver(event)


_fanouts: dict[str, RoomFanout] = {}


def fanout_for(group: str, layer) -> RoomFanout:
    """This process's fan-out of `group` (a new one if the layer or the event loop changed, as between tests)."""
    fanout = _fanouts.get(group)
    if fanout is None or fanout.layer is not layer or fanout.loop is not asyncio.get_running_loop():
        fanout = _fanouts[group] = RoomFanout(group, layer)
    return fanout


def local_fanouts() -> list[RoomFanout]:
    loop = asyncio.get_running_loop()
    return [fanout for fanout in _fanouts.values() if fanout.loop is loop and fanout.channel is not None]
