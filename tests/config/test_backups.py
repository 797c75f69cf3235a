"""Backups (issue 14): deploy/backup/hrc-backup dumps the database with a retention, and the restore drill
(deploy/backup/hrc-restore-drill) restores a dump into a scratch database, checks it against the code's
migrations and drops it. Run on PostgreSQL (the CI's second leg); without it the test skips with its reason."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from tests.rooms import live_servers

ROOT = Path(__file__).resolve().parents[2]
BACKUP, DRILL = ROOT / "deploy" / "backup" / "hrc-backup", ROOT / "deploy" / "backup" / "hrc-restore-drill"

pytestmark = [pytest.mark.multiprocess, pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or not shutil.which("pg_dump"),
    reason="backups are PostgreSQL dumps: needs DATABASE_URL naming PostgreSQL and pg_dump (the CI's PostgreSQL leg)")]


def _run(script: Path, env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(script), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_a_dump_is_kept_for_its_days_and_the_drill_restores_it(tmp_path):
    with live_servers.scratch_postgres_env("bak") as env:
        live_servers.prepare_database(env, ["willow-backup"])
        backups = tmp_path / "backups"
        backups.mkdir()
        old = backups / "hrc-20260101T000000Z.dump"
        old.write_bytes(b"an old dump")
        stale = time.time() - 20 * 24 * 3600
        os.utime(old, (stale, stale))
        drill_db = f"hrc_drill_{os.getpid()}"
        env = {**env, "BACKUP_DIR": str(backups), "BACKUP_KEEP_DAYS": "14", "DRILL_DATABASE": drill_db,
               "HRC_APP_DIR": str(ROOT), "DJANGO_VAR_DIR": str(tmp_path / "var")}

        made = _run(BACKUP, env)
        assert made.returncode == 0, made.stderr
        dumps = sorted(backups.glob("hrc-*.dump"))
        assert len(dumps) == 1 and dumps[0] != old  # the 20-day-old dump is gone, today's is there
        assert dumps[0].stat().st_mode & 0o077 == 0  # readable by its owner only
        assert "1 kept, 1 older than 14 days removed" in made.stdout

        drilled = _run(DRILL, env)
        assert drilled.returncode == 0, drilled.stderr
        assert "restore drill: OK" in drilled.stdout and "2 accounts" in drilled.stdout  # live-host and willow
        assert "willow" not in drilled.stdout  # numbers only
        admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin) as connection:
            assert connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [drill_db]).fetchone()[0] == 0

        # A damaged dump fails the drill; a dump that fails removes no old one.
        damaged = backups / "hrc-20261128T000000Z.dump"
        damaged.write_bytes(dumps[0].read_bytes()[: dumps[0].stat().st_size // 2])
        assert _run(DRILL, env, str(damaged)).returncode != 0
        os.utime(dumps[0], (stale, stale))
        assert _run(BACKUP, {**env, "DATABASE_URL": env["DATABASE_URL"] + "_missing"}).returncode != 0
        assert dumps[0].exists() and not list(backups.glob(".*partial"))
