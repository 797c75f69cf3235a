"""The per-process timer: every SPOTTING_TICK_SECONDS each server process looks for missed check-ins whose
grace has passed and raises their alarms (spotting.services.alarms_raise: the conditional UPDATE makes sure
each alarm is raised once, whichever process gets there first). `manage.py spotting_tick` from cron is the
backstop for when no process runs. Started by the first request or socket a process serves, once.
"""

import asyncio
import logging

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection
from django.conf import settings

from spotting import services

logger = logging.getLogger(__name__)
_task: asyncio.Task | None = None


async def _run() -> None:
    while settings.SPOTTING_TICK_SECONDS > 0:
        await asyncio.sleep(settings.SPOTTING_TICK_SECONDS)
        if not settings.SPOTTING_ENABLED or settings.SPOTTING_TICK_SECONDS <= 0:
            continue
        try:
            await sync_to_async(_tick, thread_sensitive=False)()
        except Exception as error:  # the database is away: the next tick (or cron) tries again
            logger.warning("spotting: the missed check-in timer failed (%s)", type(error).__name__)


def _tick() -> None:
    """One look, in a worker thread of its own (never the thread the sockets' database work shares), its
    connection closed afterwards."""
    close_old_connections()
    try:
        services.alarms_raise()
    finally:
        connection.close()


def ensure_started() -> None:
    """Start this process's timer if it is not running (in the running event loop). SPOTTING_TICK_SECONDS=0: none
    (the tests, except those that want it; cron's spotting_tick then does it all)."""
    global _task
    if settings.SPOTTING_TICK_SECONDS <= 0:
        return
    loop = asyncio.get_running_loop()
    if _task is None or _task.done() or _task.get_loop() is not loop:
        _task = loop.create_task(_run(), name="spotting-ticker")


def with_spotting_ticker(app):
    async def wrapped(scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            ensure_started()
        return await app(scope, receive, send)

    return wrapped
