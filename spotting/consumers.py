"""Spot me sockets, read-only. Thin: spotting.services decides and stores; these show.

`/ws/spot/` (holders of `peers.support`): opened by every spotting-aware page of a supporter (the spotting
board, a session's page, the supporters' board, a help conversation), so an alarm reaches each of them.
Server -> client: {"type": "board", "html"} on connect and after every change; {"type": "push", "id", "text"}
for a new request (on-duty supporters); {"type": "alarm", "id", "html"} for an alarm of theirs (or of
everyone's, when its spotter has gone), sent once when it is raised, and with "again": true beside each board
frame while it stays open (a page opened later shows it too).

`/ws/spot/<id>/` (the member, the spotter, moderators): {"type": "session", "state": {...}} on
connect and after every change (state: spotting.selectors.session_state).

A frame from the client is answered with {"type": "error", "code": "invalid", ...}.
"""

import contextlib

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commons.consumers import GuardedConsumer
from commons.languages import language_for_scope
from helpnow.permissions import check_can_support
from moderation import sanctions
from spotting import selectors, services
from spotting.models import SpotSession
from spotting.permissions import check_can_view, reads_note

CLOSE_FORBIDDEN = 4403
READ_ONLY = _("This socket is read-only: use the page's buttons.")


def alarm_html(session: SpotSession, *, peer) -> str:
    return services.alarm_html(session, note=session.note if reads_note(peer, session) else None)


class _ReadOnly(GuardedConsumer):
    groups_joined: list = []

    async def connect(self):
        self.groups_joined = []
        await self.accept()
        self.user = await self.signed_in_user()
        if self.user is None:
            return
        # Every word sent on this socket is in the person's language (their account, cookie or browser).
        self.language = language_for_scope(self.scope, self.user)
        try:
            await database_sync_to_async(self._admit)()
        except (PermissionDenied, SpotSession.DoesNotExist):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        for group in self.wanted_groups():
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.send_current()

    async def disconnect(self, code):
        for group in self.groups_joined:
            with contextlib.suppress(Exception):
                await self.channel_layer.group_discard(group, self.channel_name)

    def accepting_frames(self) -> bool:
        return bool(self.groups_joined)

    async def receive_json(self, content, **kwargs):
        with translation.override(getattr(self, "language", None)):
            message = str(READ_ONLY)
        await self.send_error(services.INVALID, message)

    async def spot_changed(self, event):
        await self.send_current()


class SupporterConsumer(_ReadOnly):
    def _admit(self) -> None:
        check_can_support(self.user)
        sanctions.check_can_connect(self.user)

    def wanted_groups(self) -> list[str]:
        return [services.BOARD_GROUP, services.supporter_group(self.user.pk)]

    def _board(self) -> dict:
        sessions = selectors.board_sessions(supporter=self.user)
        with translation.override(self.language):
            return {"type": "board", "html": render_to_string("spotting/_board.html", {"spots": sessions}),
                    "alarms": [{"id": s.pk, "html": alarm_html(s, peer=self.user)} for s in selectors.alarms_for(supporter=self.user)]}

    async def send_current(self):
        board = await database_sync_to_async(self._board)()
        alarms = board.pop("alarms")
        await self.send_json(board)
        for alarm in alarms:  # still open: shown again ("again": not a new alarm)
            await self.send_json({"type": "alarm", **alarm, "again": True})

    async def spot_push(self, event):
        text = event["text"]
        if "minutes" in event:
            with translation.override(self.language):
                text = services.push_text(event["minutes"])
        await self.send_json({"type": "push", "id": event["id"], "text": text})

    def _alarm(self, session_id: int) -> str | None:
        session = SpotSession.objects.select_related("claimed_by").filter(pk=session_id).first()
        if session is None:
            return None
        with translation.override(self.language):
            return alarm_html(session, peer=self.user)

    async def spot_alarm(self, event):
        html = await database_sync_to_async(self._alarm)(event["id"])
        if html is not None:
            await self.send_json({"type": "alarm", "id": event["id"], "html": html})


class SessionConsumer(_ReadOnly):
    def _admit(self) -> None:
        sanctions.check_can_connect(self.user)
        self.session_id = self.scope["url_route"]["kwargs"]["pk"]
        check_can_view(self.user, SpotSession.objects.get(pk=self.session_id))

    def wanted_groups(self) -> list[str]:
        return [services.session_group(self.session_id)]

    def _frame(self) -> dict | None:
        session = SpotSession.objects.select_related("claimed_by").filter(pk=self.session_id).first()
        if session is None:
            return None
        return {"type": "session", "state": selectors.session_state(session, peer=self.user)}

    async def send_current(self):
        frame = await database_sync_to_async(self._frame)()
        if frame is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json(frame)


def phone_line() -> dict:
    return {"phone_line": settings.SPOTTING_PHONE_LINE, "phone_line_name": settings.SPOTTING_PHONE_LINE_NAME,
            "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER}
