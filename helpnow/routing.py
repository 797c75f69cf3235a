"""WebSocket routes for Get help now: the supporters' board and one conversation's status."""

from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from helpnow.consumers import BoardConsumer, RequestStatusConsumer

websocket_urlpatterns: list = [
    path("ws/supporters/", BoardConsumer.as_asgi()),
    path("ws/help/<id:pk>/", RequestStatusConsumer.as_asgi()),
]
