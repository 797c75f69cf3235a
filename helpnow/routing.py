"""WebSocket routes for Get help now: the supporters' board and one conversation's status."""

from django.urls import path

from helpnow.consumers import BoardConsumer, RequestStatusConsumer

websocket_urlpatterns: list = [
    path("ws/supporters/", BoardConsumer.as_asgi()),
    path("ws/help/<int:pk>/", RequestStatusConsumer.as_asgi()),
]
