"""The supporters' board socket, /ws/supporters/. Thin: helpnow.services decides, the database settles races.

Server -> client: {"type": "board", ...snapshot...} on connect and after every change;
{"type": "push", "id", "reason": "new"|"waiting"|"backup", "text"} to available supporters;
{"type": "claimed"|"joined", "id", "url"} to the winner; {"type": "error", "code", "detail"} to the sender
(codes: helpnow.services' refusals, and "rate_limited" over the help_action limit of commons.limits).
Client -> server: {"type": "claim", "id": int}, {"type": "backup", "id": int}, {"type": "refresh"}.
"""

import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.consumers import GuardedConsumer
from commons.ids import parse_id
from commons.limits import RateLimited
from commons.refusals import Refusal
from helpnow import selectors, services
from helpnow.models import HelpRequest
from helpnow.permissions import check_can_support, check_can_view
from moderation import sanctions

CLOSE_FORBIDDEN = 4403

NOT_JSON = _("Frames must be JSON text, like {\"type\": \"claim\", \"id\": 12}.")
UNKNOWN_TYPE = _("Unknown frame type. Send \"claim\", \"backup\" or \"refresh\".")
BAD_ID = _("\"id\" must be the number of a request on the board.")
NO_SUCH_REQUEST = _("That request is no longer on the board.")
READ_ONLY = _("This socket is read-only.")
RATE_LIMITED = "rate_limited"

logger = logging.getLogger(__name__)


class BoardConsumer(GuardedConsumer):
    not_json_detail = NOT_JSON
    user = None
    groups_joined: tuple = ()
    ticker: asyncio.Task | None = None

    async def connect(self):
        self.user = None
        self.groups_joined: list[str] = []
        self.ticker: asyncio.Task | None = None
        await self.accept()  # a custom close code can only be sent on an accepted socket
        user = await self.signed_in_user()
        if user is None:
            return
        try:
            await database_sync_to_async(self._admit)(user)
        except PermissionDenied:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        for group in (services.BOARD_GROUP, services.supporter_group(user.pk)):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.send_snapshot()
        self.ticker = asyncio.create_task(self._escalation_ticker())

    @staticmethod
    def _admit(user) -> None:
        check_can_support(user)
        sanctions.check_can_connect(user)

    async def _escalation_ticker(self):
        """Every open board runs the escalation check; the conditional UPDATE in the service makes
        sure each due request is pushed once per interval, whichever process gets there first."""
        while True:
            await asyncio.sleep(settings.HELPNOW_ESCALATION_CHECK_SECONDS)
            try:
                await database_sync_to_async(services.requests_escalate)()
            except Exception as error:  # the database or Redis is away: the next tick tries again
                logger.warning("supporters' board: escalation check failed (%s)", type(error).__name__)

    async def disconnect(self, code):
        if self.ticker is not None:
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.ticker
        for group in self.groups_joined:
            with contextlib.suppress(Exception):  # the layer keeps no error from the rest of the clean-up
                await self.channel_layer.group_discard(group, self.channel_name)

    async def send_snapshot(self):
        await self.send_json(await database_sync_to_async(selectors.board_snapshot)(supporter=self.user))

    # --- client -> server -------------------------------------------------------------

    def accepting_frames(self) -> bool:
        return self.user is not None

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "refresh":
            await self.send_snapshot()
            return
        if kind not in ("claim", "backup"):
            await self.send_error(services.INVALID, UNKNOWN_TYPE)
            return
        request_id = content.get("id")
        if not isinstance(request_id, int) or parse_id(request_id) is None or request_id <= 0:
            await self.send_error(services.INVALID, BAD_ID)
            return
        try:
            help_request = await database_sync_to_async(self._act)(kind, request_id)
        except HelpRequest.DoesNotExist:
            await self.send_error(services.CLOSED, NO_SUCH_REQUEST)
        except Refusal as refusal:
            await self.send_refusal(refusal)
        except RateLimited as refused:
            await self.send_error(RATE_LIMITED, refused.message)
        else:
            await self.send_json({"type": "claimed" if kind == "claim" else "joined", "id": help_request.pk, "url": help_request.get_absolute_url()})

    def _act(self, kind: str, request_id: int) -> HelpRequest:
        help_request = HelpRequest.objects.get(pk=request_id)
        if kind == "claim":
            return services.request_claim(help_request=help_request, supporter=self.user)
        return services.request_backup_join(help_request=help_request, supporter=self.user)

    # --- channel layer -> this socket ---------------------------------------------------

    async def board_changed(self, event):
        await self.send_snapshot()

    async def board_push(self, event):
        text = services.push_text(event["reason"], danger=event.get("danger", False))
        await self.send_json({"type": "push", "id": event["id"], "reason": event["reason"], "text": text})


class RequestStatusConsumer(GuardedConsumer):
    """/ws/help/<id>/: read-only status of one conversation, for the person, its supporters and moderators.

    Sends {"type": "status", "status": "waiting"|"claimed"|"resolved", "text": str} on connect and on every
    change; a frame from the client is answered with an `invalid` error.
    """

    group = None

    async def connect(self):
        self.group = None
        await self.accept()
        self.user = user = await self.signed_in_user()
        if user is None:
            return
        self.request_id = self.scope["url_route"]["kwargs"]["pk"]
        try:
            await database_sync_to_async(self._admit)()
        except (HelpRequest.DoesNotExist, PermissionDenied):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = services.request_group(self.request_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_status()

    def _admit(self) -> None:
        sanctions.check_can_connect(self.user)
        check_can_view(self.user, HelpRequest.objects.get(pk=self.request_id))

    def _status(self) -> dict:
        help_request = selectors.request_get(pk=self.request_id)
        text = selectors.status_line(
            help_request, for_requester=help_request.requester_id == self.user.pk, on_duty=services.on_duty_count()
        )
        return {"type": "status", "status": help_request.status, "text": text}

    async def send_status(self):
        try:
            frame = await database_sync_to_async(self._status)()
        except HelpRequest.DoesNotExist:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json(frame)

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        await self.send_error(services.INVALID, READ_ONLY)

    async def request_changed(self, event):
        await self.send_status()
