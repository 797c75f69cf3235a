"""What every two-way socket of ours shares: JSON objects in, and a readable error for anything else."""

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

INVALID = "invalid"


class JsonObjectConsumer(AsyncJsonWebsocketConsumer):
    """Frames must be JSON objects; anything else is answered with an `invalid` error and ignored.

    Subclasses set `not_json_detail` and return False from `accepting_frames()` until they are admitted.
    """

    not_json_detail = "Frames must be JSON text."

    def accepting_frames(self) -> bool:
        return True

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not self.accepting_frames():
            return
        try:
            content = json.loads(text_data) if text_data is not None else None
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self.send_error(INVALID, self.not_json_detail)
            return
        await self.receive_json(content)

    async def send_error(self, code: str, detail: str) -> None:
        await self.send_json({"type": "error", "code": code, "detail": detail})
