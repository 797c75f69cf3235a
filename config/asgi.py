"""HTTP to Django; WebSocket through origin check, session auth and the apps' routes."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (after Django is set up)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from commons.asgi import RequestBodyLimit  # noqa: E402
from commons.logs import AccessLog  # noqa: E402

from rooms.routing import websocket_urlpatterns as room_routes  # noqa: E402
from safety.routing import websocket_urlpatterns as safety_routes  # noqa: E402
from helpnow.routing import websocket_urlpatterns as helpnow_routes  # noqa: E402
from spotting.routing import websocket_urlpatterns as spotting_routes  # noqa: E402
from spotting.ticker import with_spotting_ticker  # noqa: E402
from config.health import with_health  # noqa: E402

websocket_routes = room_routes + safety_routes + helpnow_routes + spotting_routes
# The access log (commons.logs) names each request's and socket's route, never its path; health probes are
# answered before it and are not logged.
application = ProtocolTypeRouter(
    {
        # with_spotting_ticker: the first request or socket of a process starts its missed check-in timer.
        "http": with_spotting_ticker(with_health(AccessLog(RequestBodyLimit(django_asgi_app)))),
        "websocket": with_spotting_ticker(
            AccessLog(AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_routes))), websocket_routes)),
    }
)

# Long-lived server: move everything loaded so far out of the collector's reach and collect the young
# generation less often. Without this, full collections every few seconds paused a busy process for
# ~100 ms and set the chat's p99 latency (docs/performance.md, "Live rooms"). ASGI_GC_TUNING=0 turns it off.
# 10,000 rather than 50,000 young objects: a young collection then pauses ~3 ms instead of 12-20 ms.
if os.environ.get("ASGI_GC_TUNING", "1") != "0":
    import gc  # noqa: E402

    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 100)
