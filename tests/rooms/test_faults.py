"""The fault test (issue 14): two uvicorn processes, a Redis of their own, PostgreSQL behind a proxy we can cut.

Numbered messages from senders on both processes while (a) one process is killed -9 and restarted,
(b) Redis restarts (empty), (c) the database refuses connections for a few seconds. For each: every
acknowledged message is stored exactly once, every client ends with every stored message once and in id
order, and readiness recovers within 10 s. bench/faults.py runs the same at 20 senders x 50.
"""

import pytest

from tests.rooms import faultkit

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.skipif(faultkit.have_the_pieces() is not None, reason=faultkit.have_the_pieces() or ""),
]

SENDERS = faultkit.names_for(6)
PER_SENDER = 15


@pytest.fixture(scope="module")
def cluster():
    with faultkit.Cluster(SENDERS, label="faulttest") as running:
        yield running


@pytest.mark.parametrize("fault", ["kill-9", "redis-restart", "database-refused"])
async def test_every_acknowledged_message_is_stored_once_and_reaches_every_client(cluster, fault):
    outcome = await faultkit.run_scenario(cluster, fault, senders=SENDERS, per_sender=PER_SENDER, outage=2.5)
    print(outcome.line())
    assert outcome.failures() == [], outcome.line()
    assert outcome.stored == outcome.acknowledged == outcome.sent
    if fault == "redis-restart":
        assert outcome.not_ready_after is not None and outcome.not_ready_after < 5, outcome.line()
