"""Claim race: N supporters claim the same request at the same moment, R rounds. Exactly one must win each round.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrc_helpnow .venv/bin/python bench/helpnow_claims.py [N] [R]

Needs a migrated database that several connections can write at once (PostgreSQL). It creates
accounts named bench-hn-*, and deletes its requests and rooms at the end.
"""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from commons.refusals import Refusal  # noqa: E402
from helpnow import services  # noqa: E402
from helpnow.models import HelpRequest  # noqa: E402
from peers import roles  # noqa: E402
from peers import services as peer_services  # noqa: E402
from peers.models import Peer  # noqa: E402


def account(name: str, role: str) -> Peer:
    peer, created = Peer.objects.get_or_create(username=name)
    if created:
        peer_services.peer_onboard(peer=peer)
        if role != roles.MEMBER:
            peer_services.role_grant(peer=peer, role=role)
    return Peer.objects.get(pk=peer.pk)


def main(n: int, rounds: int) -> None:
    supporters = [account(f"bench-hn-sup{i}", roles.SUPPORTER) for i in range(n)]
    for supporter in supporters:
        services.duty_set(supporter=supporter, on=True)
    asker = account("bench-hn-asker", roles.MEMBER)
    latencies, winners = [], []
    for _ in range(rounds):
        help_request = services.request_create(requester=asker)
        barrier = threading.Barrier(n)
        outcomes = []

        def claim(supporter):
            barrier.wait()
            start = time.perf_counter()
            try:
                services.request_claim(help_request=help_request, supporter=supporter)
                outcomes.append("won")
            except Refusal as refusal:
                outcomes.append(refusal.code)
            finally:
                latencies.append(time.perf_counter() - start)
                connection.close()

        threads = [threading.Thread(target=claim, args=(s,)) for s in supporters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners.append(outcomes.count("won"))
        assert outcomes.count("won") == 1 and outcomes.count("taken") == n - 1, outcomes
        claimed = HelpRequest.objects.select_related("claimed_by").get(pk=help_request.pk)
        services.request_resolve(help_request=claimed, by=claimed.claimed_by, note="")
    rooms = [r.room for r in HelpRequest.objects.filter(requester=asker).select_related("room")]
    HelpRequest.objects.filter(requester=asker).delete()
    for room in rooms:
        if room is not None:
            room.delete()
    for supporter in supporters:
        services.duty_set(supporter=supporter, on=False)
    latencies.sort()
    print(f"{rounds} rounds x {n} simultaneous claims on {connection.vendor}: exactly one winner every round")
    print(f"claim latency: median {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
