"""Real-time events leave only after the database has committed what they describe."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def group_send_on_commit(group: str, event: dict) -> None:
    """Send `event` to channel-layer `group` once the current transaction commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, event)

    transaction.on_commit(send)
