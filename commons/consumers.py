"""What every socket of ours shares: frames checked before anything reads them, a clean-up that always runs,
and an end that comes with the session.

- **Frames** (`receive`): size, JSON, depth, text that can be stored (commons.frames); anything else is
  answered with the protocol's `invalid` error and goes no further.
- **Clean-up** (`disconnect`) runs exactly once however the socket ends: the person left, a handler raised
  (the socket then closes with 1011), the channel layer failed, or the task was cancelled. Without this a
  crashed consumer kept its presence row fresh and its place in the room's fan-out for ever.
- **Sessions**: a signed-in socket joins its person's group (`commons.realtime.person_group`) before it is
  admitted, then checks that its session is still current; `commons.realtime.person_sockets_close` (logout,
  password change, deletion, suspension) closes it, on every process, within a second.
"""

import asyncio
import contextlib
import logging
import weakref
from importlib import import_module

from channels.db import aclose_old_connections, database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.utils import translation

from commons import layers, realtime
from commons.languages import scope_language
from commons.frames import NOT_AN_OBJECT, NOT_TEXT, FrameRefused, parse_frame
from commons.refusals import Refusal

INVALID = "invalid"
CLOSE_SERVER_ERROR = 1011
CLOSE_SESSION_ENDED = 4401

logger = logging.getLogger(__name__)


def session_is_current(session_key: str | None, user) -> bool:
    """Does the stored session `session_key` still sign `user` in (not signed out, password unchanged, account there)?"""
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    data = store.load()
    if str(data.get(SESSION_KEY, "")) != str(user.pk):
        return False
    current = get_user_model().objects.filter(pk=user.pk, is_active=True).first()
    if current is None:
        return False
    session_hash = data.get(HASH_SESSION_KEY)
    return bool(session_hash) and session_hash == current.get_session_auth_hash()


_bound: "weakref.WeakSet[GuardedConsumer]" = weakref.WeakSet()  # this process's signed-in sockets
_background: set[asyncio.Task] = set()


@layers.on_recovery
async def _recheck_sessions(layer) -> None:
    """A logout, password change or deletion sent while Redis was away never reached its sockets: each signed-in socket of this
    process checks its session again, in the background (readiness does not wait for it)."""
    task = asyncio.create_task(_recheck(layer, [c for c in list(_bound) if c.session_key and not c.closing]))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _recheck(layer, consumers: list) -> None:
    for consumer in consumers:
        try:
            if not await database_sync_to_async(session_is_current)(consumer.session_key, consumer.scope["user"]):
                await layer.send(consumer.channel_name, {"type": "person.close", "code": CLOSE_SESSION_ENDED})
        except Exception as error:
            logger.warning("checking a socket's session after Redis came back failed (%s)", type(error).__name__)


class GuardedConsumer(AsyncJsonWebsocketConsumer):
    """Base of every socket. Subclasses set `not_json_detail`, implement `receive_json`, return False from
    `accepting_frames()` until admitted, and call `bind_to_session(user)` before admitting a signed-in person."""

    not_json_detail = "Frames must be JSON text."
    person_group: str | None = None
    session_tag: str = ""
    session_key: str | None = None
    closing = False

    def run_sync(self, func):
        """How this consumer runs database work (rooms use a pool of their own)."""
        return database_sync_to_async(func)

    # --- lifetime -----------------------------------------------------------------------

    async def __call__(self, scope, receive, send):
        self._cleaned_up = False
        try:
            await super().__call__(scope, receive, send)
        finally:
            await asyncio.shield(self._clean_up(CLOSE_SERVER_ERROR))

    async def dispatch(self, message):
        try:
            # Every frame this socket sends is in its person's language, chosen as for their pages.
            with translation.override(scope_language(self.scope)):
                await super().dispatch(message)
        except StopConsumer:
            raise
        except Exception as error:  # whatever a frame or the layer did: close, and let the clean-up run
            logger.error(
                "%s: %s failed (%s); closing the socket", type(self).__name__, message.get("type"), type(error).__name__,
                exc_info=settings.DEBUG,
            )
            with contextlib.suppress(Exception):
                await self.close(code=CLOSE_SERVER_ERROR)
            raise StopConsumer() from None

    async def websocket_disconnect(self, message):
        await self._clean_up(message.get("code"))
        raise StopConsumer()

    async def _clean_up(self, code) -> None:
        if getattr(self, "_cleaned_up", True):
            return
        self._cleaned_up = True
        self.closing = True
        try:
            await self.disconnect(code)
        except Exception as error:
            logger.error("%s: clean-up failed (%s)", type(self).__name__, type(error).__name__, exc_info=settings.DEBUG)
        if self.person_group is not None and self.channel_layer is not None:
            with contextlib.suppress(Exception):
                await self.channel_layer.group_discard(self.person_group, self.channel_name)
        with contextlib.suppress(Exception):
            await aclose_old_connections()

    # --- sessions -----------------------------------------------------------------------

    async def bind_to_session(self, user) -> bool:
        """Join `user`'s group (so a logout or a suspension reaches this socket), then check the session is still
        current. False if it is not: the caller closes with 4401. Sockets built without a session (tests) pass."""
        self.person_group = realtime.person_group(user.pk)
        session = self.scope.get("session")
        session_key = getattr(session, "session_key", None) if session is not None else None
        self.session_tag = realtime.session_tag(session_key) if session_key else ""
        self.session_key = session_key
        await self.channel_layer.group_add(self.person_group, self.channel_name)
        _bound.add(self)
        if session is None:
            return True
        return await self.run_sync(session_is_current)(session_key, user)

    async def signed_in_user(self):
        """The socket's signed-in person, tied to their session; None for a visitor or an ended session, whose socket
        is then closed with 4401. The one "must sign in" of every socket (call it after `accept()`: a custom close
        code can only be sent on an accepted socket)."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not await self.bind_to_session(user):
            await self.close(code=CLOSE_SESSION_ENDED)
            return None
        return user

    async def person_close(self, event) -> None:
        if event.get("only_session") and event["only_session"] != self.session_tag:
            return
        if event.get("keep_session") and event["keep_session"] == self.session_tag:
            return
        self.closing = True
        with contextlib.suppress(Exception):
            await self.close(code=event["code"])
        await self._clean_up(event["code"])
        raise StopConsumer()

    async def person_notice(self, event) -> None:
        """A frame for every open page of this person (commons.realtime.person_notice_on_commit): only the
        every-page socket (safety's /ws/alerts/) sends it on; the others ignore it."""

    # --- client -> server ---------------------------------------------------------------

    def accepting_frames(self) -> bool:
        return True

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.closing or not self.accepting_frames():
            return
        try:
            content = parse_frame(text_data, bytes_data)
        except FrameRefused as refused:
            detail = self.not_json_detail if str(refused) in (NOT_TEXT, NOT_AN_OBJECT) else str(refused)
            await self.send_error(INVALID, detail)
            return
        await self.receive_json(content)

    async def send_error(self, code: str, detail: str, **extra) -> None:
        await self.send_json({"type": "error", "code": code, "detail": str(detail), **extra})

    async def send_refusal(self, refusal: Refusal) -> None:
        """A refused action (commons.refusals), in the words a view would show."""
        await self.send_error(refusal.code, refusal.detail)

