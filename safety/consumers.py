"""The read-only alerts socket: anyone may open /ws/alerts/ and hears every newly published drug alert.

A signed-in person's socket is tied to their session like every other (commons.consumers): it closes with
4401 when they sign out, and alerts.js opens it again, then as nobody in particular."""

import contextlib

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commons.channels import ALERTS_GROUP
from commons.consumers import CLOSE_SESSION_ENDED, GuardedConsumer
from commons.languages import language_for_scope

READ_ONLY_DETAIL = _("This socket only sends drug alerts; it does not take messages.")


class AlertsConsumer(GuardedConsumer):
    joined = False

    async def connect(self) -> None:
        await self.channel_layer.group_add(ALERTS_GROUP, self.channel_name)  # before accepting: nothing is missed
        self.joined = True
        user = self.scope.get("user")
        current = user is None or not user.is_authenticated or await self.bind_to_session(user)
        self.language = language_for_scope(self.scope, user if current and user is not None and user.is_authenticated else None)
        await self.accept()
        if not current:
            await self.close(code=CLOSE_SESSION_ENDED)

    async def disconnect(self, code) -> None:
        if self.joined:
            with contextlib.suppress(Exception):
                await self.channel_layer.group_discard(ALERTS_GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        with translation.override(getattr(self, "language", None)):
            detail = str(READ_ONLY_DETAIL)  # in the person's language (account, cookie or browser)
        await self.send_error("invalid", detail)

    async def alert_published(self, event: dict) -> None:
        await self.send_json(event["frame"])

    async def person_notice(self, event: dict) -> None:
        """A frame another app addressed to every open page of this person (commons.realtime), sent on as it is;
        static/js/alerts.js hands frames it does not know to the page as an "hrc:notice" event."""
        await self.send_json(event["frame"])
