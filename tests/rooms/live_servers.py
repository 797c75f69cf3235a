"""Real servers for the multi-process and browser tests: free ports, a database of their own, signed-in sessions."""

import contextlib
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

SETUP_SCRIPT = """
import json
from peers import services as peer_services
from peers.models import Peer
from rooms import services
from rooms.models import Room
from tests.rooms.live_servers import signed_in_session

names = {names!r}
host = Peer.objects.create_user(username="live-host")
peer_services.role_grant(peer=host, role="organiser")
services.room_create(slug="live", title="Live test room", host=host, status=Room.Status.LIVE)
cookies = {{}}
for name in names:
    peer = Peer.objects.create_user(username=name)  # no password: signed in by session, and hashing is slow
    peer_services.role_grant(peer=peer, role="member")  # (not peer_onboard: its recovery-code hash is slow)
    cookies[name] = signed_in_session(peer)
print("COOKIES=" + json.dumps(cookies))
"""


def signed_in_session(peer) -> str:
    """The key of a new session in which `peer` is signed in (in the database the caller's settings name)."""
    import importlib

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(peer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = peer.get_session_auth_hash()
    session.create()
    return session.session_key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CHANNEL_PREFIX", "CACHE_PREFIX", "DJANGO_SETTINGS_MODULE")}
    env.update({"DJANGO_DEBUG": "1", "RATE_LIMIT_ROOM_MESSAGE": "1000/10", "PYTHONUNBUFFERED": "1"})
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


@contextlib.contextmanager
def scratch_postgres_env(label: str):
    """A fresh PostgreSQL database and its own Redis prefixes for real server processes; dropped afterwards.

    Yields the environment (DATABASE_URL, REDIS_URL, prefixes) to start servers and manage.py with."""
    import psycopg

    pg = os.environ.get("DATABASE_URL", "")
    server_url = pg.rsplit("/", 1)[0] if pg.startswith("postgres") else "postgres://postgres@127.0.0.1:5432"
    name = f"hrc_{label}_mp_{os.getpid()}"
    with psycopg.connect(server_url + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    prefix = f"{label}mp{os.getpid()}"
    try:
        yield base_env(DATABASE_URL=f"{server_url}/{name}", REDIS_URL=os.environ["REDIS_URL"], CHANNEL_PREFIX=prefix, CACHE_PREFIX=prefix)
    finally:
        with psycopg.connect(server_url + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(env: dict, names: list[str]) -> dict[str, str]:
    """Migrate the database named in env and create a live room `live` and signed-in peers; returns session keys."""
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP_SCRIPT.format(names=names)],
        cwd=ROOT, env=env, check=True, timeout=60, capture_output=True, text=True,
    ).stdout
    return json.loads(out.split("COOKIES=", 1)[1].strip())


def makefile_command(port: int) -> list[str]:
    """The uvicorn command line of `make run`, on `port`."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "uvicorn config.asgi:application" in line)
    words = shlex.split(line.replace("$(BIN)/uvicorn", "uvicorn").replace("$(HOST)", "127.0.0.1").replace("$(PORT)", str(port)))
    return [PYTHON, "-m", *words]


def unit_command(port: int) -> list[str]:
    """The uvicorn command line of the systemd unit deploy/systemd/commons@.service, instance `port`."""
    unit = (ROOT / "deploy" / "systemd" / "commons@.service").read_text()
    line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    words = shlex.split(line.removeprefix("ExecStart=").replace("%i", str(port)))
    assert words[0].endswith("/.venv/bin/uvicorn"), words[0]
    return [PYTHON, "-m", "uvicorn", *words[1:]]


def start_server(env: dict, port: int, server: str = "uvicorn", app: str = "config.asgi:application", log_path=None,
                 command: list[str] | None = None) -> subprocess.Popen:
    """Start a server and wait until it is ready. Its stdout and stderr go to `log_path`, or to a temporary file:
    never to a pipe, which nobody reads, fills up and then stops a server that logs (every request and socket
    writes an access line at INFO).
    `command` replaces the default command line (tests that start the server as the Makefile or a unit does)."""
    if command is not None:
        pass
    elif server == "daphne":
        command = [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]
    else:
        command = [PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--no-proxy-headers", "--lifespan", "off", "--log-level", "warning",
                   "--log-config", "deploy/uvicorn-logging.json"]
    temporary = log_path is None
    if temporary:
        handle, log_path = tempfile.mkstemp(prefix="hrc-server-", suffix=".log")
        os.close(handle)
    with open(log_path, "ab") as log:  # the child keeps its own copy
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    process.temporary_log = log_path if temporary else None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = Path(log_path).read_text()
            raise RuntimeError("server exited: " + output[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/ready", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start in 30 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if getattr(process, "temporary_log", None):
        Path(process.temporary_log).unlink(missing_ok=True)
