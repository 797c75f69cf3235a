"""WebSocket routes for Get help now (the supporters' board)."""

websocket_urlpatterns: list = []
