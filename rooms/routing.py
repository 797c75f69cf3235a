"""WebSocket routes; the room and alert consumers arrive with issues 4 and 6."""

websocket_urlpatterns: list = []
