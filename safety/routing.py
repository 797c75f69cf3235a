"""WebSocket routes for safety: the read-only alerts socket arrives with issue 6."""

websocket_urlpatterns: list = []
