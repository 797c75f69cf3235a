"""/healthz/live (the process answers), /healthz/ready and /healthz (the database and the channel layer are usable).

Each readiness check is bounded and cheap: no new event loop, connection pool or channel per request.
- database: `SELECT 1` in one thread of its own (never queued behind chat work in the shared pool), at most
  one at a time, its answer reused for a second, given up after DB_TIMEOUT seconds;
- channel layer: what this process's Redis watch last saw (commons.redis_watch: it asks Redis every second
  over a connection of its own, and counts as ready only once the layer has rejoined its groups after an
  outage). The in-memory layer is always usable.
docs/reliability.md.
"""

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection
from django.http import JsonResponse

from commons import redis_watch

DB_TIMEOUT = 2.0  # seconds
DB_ANSWER_REUSED_FOR = 1.0  # seconds
WATCH_FIRST_CHECK_TIMEOUT = 2.0  # seconds a new process waits for its first look at Redis

_db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz-db")
_db_answer: tuple[float, bool] = (0.0, False)  # (time.monotonic(), ok)
_db_pending: "asyncio.Future | None" = None


def database_ok() -> bool:
    try:
        close_old_connections()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False
    finally:
        if connection.vendor != "sqlite":  # the thread lives on; give pooled connections back
            connection.close()


async def database_ready() -> bool:
    global _db_answer, _db_pending
    checked_at, ok = _db_answer
    if time.monotonic() - checked_at < DB_ANSWER_REUSED_FOR:
        return ok
    loop = asyncio.get_running_loop()
    if _db_pending is None or _db_pending.done() or _db_pending.get_loop() is not loop:
        _db_pending = loop.run_in_executor(_db_thread, database_ok)
    try:
        ok = await asyncio.wait_for(asyncio.shield(_db_pending), DB_TIMEOUT)
    except asyncio.TimeoutError:
        ok = False
    _db_answer = (time.monotonic(), ok)
    return ok


async def channel_layer_ready() -> bool:
    if not settings.REDIS_URL:
        return True  # the in-memory layer lives in this process
    watch = redis_watch.watch_for(settings.REDIS_URL)
    if watch.checked_at == 0.0:
        try:
            await asyncio.wait_for(watch.first_check(), WATCH_FIRST_CHECK_TIMEOUT)
        except asyncio.TimeoutError:
            return False
    return watch.ready


async def readiness() -> tuple[int, dict]:
    db, layer = await asyncio.gather(database_ready(), channel_layer_ready())
    healthy = db and layer
    body = {"status": "ok" if healthy else "error", "db": "ok" if db else "error", "channel_layer": "ok" if layer else "error"}
    return (200 if healthy else 503), body


def _json(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


async def ready(request):
    return _json(*await readiness())


async def live(request):
    return _json(200, {"status": "ok"})


def with_health(app):
    """ASGI: answer the health paths on the event loop, before Django's middleware (whose sync parts queue in
    one shared thread behind every socket's connection checks under load, and which would redirect a plain-HTTP
    probe to HTTPS or refuse its Host); everything else goes to `app`. The URLs stay in config/urls.py too."""

    async def health_or_app(scope, receive, send):
        path = scope.get("path") if scope["type"] == "http" else None
        if path in ("/healthz", "/healthz/ready", "/healthz/live"):
            status, body = (200, {"status": "ok"}) if path == "/healthz/live" else await readiness()
            payload = json.dumps(body).encode()
            headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
                       (b"content-length", str(len(payload)).encode())]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": payload})
            return
        await app(scope, receive, send)

    return health_or_app
