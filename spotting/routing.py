"""WebSocket routes for Spot me: a supporter's pages (board and alarms) and one session's page."""

from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from spotting.consumers import SessionConsumer, SupporterConsumer

websocket_urlpatterns: list = [
    path("ws/spot/", SupporterConsumer.as_asgi()),
    path("ws/spot/<id:pk>/", SessionConsumer.as_asgi()),
]
