"""WebSocket routes for Get help now (the supporters' board)."""

from django.urls import path

from helpnow.consumers import BoardConsumer

websocket_urlpatterns: list = [
    path("ws/supporters/", BoardConsumer.as_asgi()),
]
