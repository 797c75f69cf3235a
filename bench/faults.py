"""Faults at scale: tests/rooms/test_faults.py's run with 20 senders x 50 numbered messages (docs/reliability.md).

Two uvicorn processes share a scratch PostgreSQL database (behind a TCP proxy the run can cut) and a Redis
of their own on a free port; senders alternate between the processes and behave as static/js/rooms.js does.
Each fault strikes about a second into the run: kill -9 of one process (restarted), Redis stopped and
started again (empty), the database refusing connections. Prints one line of figures per fault.

Run under the shared lock, on the PostgreSQL + Redis set-up:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrc_<you> REDIS_URL=redis://127.0.0.1:6379/<n> \\
        flock /tmp/hrc-heavy.lock .venv/bin/python bench/faults.py [--senders 20] [--messages 50] [--outage 2]
"""

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from tests.rooms import faultkit  # noqa: E402

FAULTS = ["none", "kill-9", "redis-restart", "database-refused"]


async def run(cluster, args) -> int:
    failed = 0
    senders = faultkit.names_for(args.senders)
    for fault in args.faults:
        outcome = await faultkit.run_scenario(
            cluster, fault, senders=senders, per_sender=args.messages, outage=args.outage, pace=args.pace, settle=60,
        )
        print(outcome.line(), flush=True)
        for problem in outcome.failures():
            print(f"    {problem}", flush=True)
            failed += 1
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--messages", type=int, default=50, help="per sender")
    parser.add_argument("--outage", type=float, default=2.0, help="seconds each fault lasts")
    parser.add_argument("--pace", type=float, default=0.05, help="seconds a sender waits after each echo")
    parser.add_argument("--faults", nargs="+", default=FAULTS, choices=FAULTS)
    args = parser.parse_args()
    missing = faultkit.have_the_pieces()
    if missing:
        print(f"bench/faults.py {missing}", file=sys.stderr)
        return 2
    with faultkit.Cluster(faultkit.names_for(args.senders), label="faultbench") as cluster:
        print(f"{args.senders} senders x {args.messages} messages, two uvicorn processes, outage {args.outage} s; "
              f"server logs in {cluster.log_dir}", flush=True)
        failed = asyncio.run(run(cluster, args))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
