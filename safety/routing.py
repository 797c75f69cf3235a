"""WebSocket routes for safety: the read-only alerts socket."""

from django.urls import path

from safety.consumers import AlertsConsumer

websocket_urlpatterns = [
    path("ws/alerts/", AlertsConsumer.as_asgi()),
]
