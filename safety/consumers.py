"""The read-only alerts socket: anyone may open /ws/alerts/ and hears every newly published drug alert."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

from commons.channels import ALERTS_GROUP

READ_ONLY_DETAIL = "This socket only sends drug alerts; it does not take messages."


class AlertsConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(ALERTS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code) -> None:
        await self.channel_layer.group_discard(ALERTS_GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        await self.send_json({"type": "error", "code": "invalid", "detail": READ_ONLY_DETAIL})

    async def alert_published(self, event: dict) -> None:
        await self.send_json(event["frame"])

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content))
