"""How long a published drug alert takes to reach N open /ws/alerts/ sockets (in-process, through the real consumer).

    .venv/bin/python bench/safety_fanout.py [N]          # in-memory channel layer
    REDIS_URL=redis://127.0.0.1:6379/4 CHANNEL_PREFIX=safetybench .venv/bin/python bench/safety_fanout.py [N]

Measures the channel-layer fan-out and the consumer, not the network. Short on purpose (the machine is shared).
Also reports the banner's cost: queries per page with a cold and a warm cache.
"""

import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from channels.layers import get_channel_layer  # noqa: E402
from channels.testing import WebsocketCommunicator  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from commons.channels import ALERTS_GROUP  # noqa: E402
from safety.consumers import AlertsConsumer  # noqa: E402
from safety.selectors import banner_alerts  # noqa: E402


async def fanout(count: int) -> tuple[float, float]:
    sockets = [WebsocketCommunicator(AlertsConsumer.as_asgi(), "/ws/alerts/") for _ in range(count)]
    started = time.perf_counter()
    for socket in sockets:
        await socket.connect()
    connect_seconds = time.perf_counter() - started
    frame = {"type": "alert", "id": 1, "substance": "Bench", "summary": "fan-out", "region": "Here", "severity": "info",
             "expires": timezone.now().isoformat()}
    started = time.perf_counter()
    await get_channel_layer().group_send(ALERTS_GROUP, {"type": "alert.published", "frame": frame})
    await asyncio.gather(*(socket.receive_json_from(timeout=30) for socket in sockets))
    deliver_seconds = time.perf_counter() - started
    for socket in sockets:
        await socket.disconnect()
    return connect_seconds, deliver_seconds


def banner_queries() -> tuple[int, int]:
    cache.delete("safety:banner:v2")
    with CaptureQueriesContext(connection) as cold:
        banner_alerts()
    with CaptureQueriesContext(connection) as warm:
        banner_alerts()
    return len(cold), len(warm)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    connect_seconds, deliver_seconds = asyncio.run(fanout(count))
    layer = "redis" if os.environ.get("REDIS_URL") else "in-memory"
    print(f"{layer} layer: {count} sockets connected in {connect_seconds:.2f}s; one alert reached all of them in {deliver_seconds * 1000:.0f} ms")
    cold, warm = banner_queries()
    print(f"banner: {cold} query with a cold cache, {warm} with a warm one")
