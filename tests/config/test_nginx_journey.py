"""Production, end to end (issue 14): Debian's nginx, rendered from deploy/nginx/commons.conf.template, terminates
TLS (a self-signed certificate made here), serves the static files and proxies HTTP and WebSocket to two uvicorn
processes started as the systemd unit starts them, with the production settings (DJANGO_DEBUG=0).

A person signs in and posts through it in Chromium over HTTPS; two people chat with one socket through each
upstream. Then no line of nginx's logs or of either process holds an address, a pseudonym or what was written.

On PostgreSQL + Redis (DATABASE_URL and REDIS_URL set) the processes share a scratch database and Redis. Without
them they share one SQLite file and each has its own in-memory channel layer, so the chat across the two
processes is skipped (with that reason) and the rest runs. Without nginx the tests skip; under CI they fail.
"""

import contextlib
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser import require_program
from tests.rooms import live_servers

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]

ROOT = Path(__file__).resolve().parents[2]
NEEDS_NGINX = "needs nginx (Debian's `nginx` package, installed by .ci/run)"
FORWARDED = "198.51.100.23"
AUTHOR, LISTENER, PASSWORD = "tall-cedar-58", "still-otter-91", "a-long-test-password-42"
TITLE = "Naloxone kits back in stock at the Friday clinic"
BODY = "Ask at the side door, no questions asked."
SECRETS = ("127.0.0.1", FORWARDED, AUTHOR, LISTENER, TITLE, BODY, "Naloxone", "side door", "first from", "answer from")

SETUP = f"""
import json
from forum.models import Board
from peers import services as peer_services
from peers.models import Peer
from rooms import services
from rooms.models import Room
from tests.rooms.live_servers import signed_in_session

author = Peer.objects.create_user(username={AUTHOR!r}, password={PASSWORD!r})
listener = Peer.objects.create_user(username={LISTENER!r})
host = Peer.objects.create_user(username="nginx-host")
for peer, role in ((author, "member"), (listener, "member"), (host, "organiser")):
    peer_services.role_grant(peer=peer, role=role)
Board.objects.create(slug="talk", title="Talk", description="")
services.room_create(slug="live", title="Live", host=host, status=Room.Status.LIVE)
print("SESSION=" + signed_in_session(listener))
"""


def nginx_path() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def require_nginx() -> str:
    return require_program(nginx_path(), NEEDS_NGINX)


def self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "commons.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def nginx_main_config(folder: Path, site: Path) -> Path:
    """What docs/deploy.md asks of Debian's /etc/nginx/nginx.conf (error log at alert, no access log outside the
    site), with this run's paths, one worker (so round robin alternates strictly) and no daemon."""
    for name in ("logs", "tmp"):
        (folder / name).mkdir(exist_ok=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private folders
    temp = "".join(f"    {kind}_temp_path {folder / 'tmp' / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config = folder / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'logs' / 'error.log'} alert;\n"
        f"events {{ worker_connections 512; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n    access_log off;\n{temp}"
        f"    include {site};\n}}\n"
    )
    return config


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    import socket

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("nginx exited: " + log.read_text()[-2000:])
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError("nginx did not listen in 15 s")


def has_ipv6() -> bool:
    import socket

    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def distributed() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(os.environ.get("REDIS_URL"))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """nginx on free ports in front of two app processes. Yields a dict: base URL, log files, the listener's session."""
    nginx = require_nginx()
    folder = tmp_path_factory.mktemp("nginx")
    with contextlib.ExitStack() as cleanup:
        if distributed():
            env = cleanup.enter_context(live_servers.scratch_postgres_env("ngx"))
        else:
            env = live_servers.base_env(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}")
        env.update({
            "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "nginx-test-" + "k" * 50, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "TRUSTED_PROXIES": "127.0.0.1", "DJANGO_VAR_DIR": str(folder / "var"), "LOG_FORMAT": "json",
            "MODERATION_TRUST_MIN_POSTS": "0", "MODERATION_TRUST_MIN_AGE_HOURS": "0",
        })
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
        out = subprocess.run([*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=60,
                             capture_output=True, text=True).stdout
        session = out.split("SESSION=", 1)[1].strip()

        ports = [live_servers.free_port(), live_servers.free_port()]
        app_logs = [folder / f"app-{port}.log" for port in ports]
        for port, log in zip(ports, app_logs):
            process = live_servers.start_server(env, port, log_path=log, command=live_servers.unit_command(port))
            cleanup.callback(live_servers.stop_server, process)

        sys.path.insert(0, str(ROOT / "deploy"))
        try:
            from render_nginx import render
        finally:
            sys.path.remove(str(ROOT / "deploy"))
        cert, key = self_signed(folder)
        https_port, http_port = live_servers.free_port(), live_servers.free_port()
        site = folder / "commons.conf"
        site.write_text(render(server_name="commons.test", ports=ports, https_port=https_port, http_port=http_port,
                               certificate=str(cert), certificate_key=str(key),
                               static_root=str(folder / "var" / "staticfiles"), log_dir=str(folder / "logs"), ipv6=has_ipv6()))
        config = nginx_main_config(folder, site)
        startup_log = folder / "logs" / "startup.log"
        check = subprocess.run([nginx, "-t", "-q", "-p", str(folder), "-c", str(config), "-e", str(startup_log)],
                               capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr + (startup_log.read_text() if startup_log.exists() else "")
        with open(folder / "logs" / "stderr.log", "ab") as stderr:
            proxy = subprocess.Popen([nginx, "-p", str(folder), "-c", str(config), "-e", str(startup_log)],
                                     stdout=stderr, stderr=stderr)
        cleanup.callback(lambda: (proxy.terminate(), proxy.wait(10)))
        wait_for_port(https_port, proxy, startup_log)
        yield {"base": f"https://127.0.0.1:{https_port}", "app_logs": app_logs, "session": session,
               "nginx_logs": sorted((folder / "logs").glob("*.log"))}


def _context(browser, stack, **options):
    return browser.new_context(ignore_https_errors=True, extra_http_headers={"X-Forwarded-For": FORWARDED},
                               viewport={"width": 390, "height": 844}, **options)


def room_sockets_open(log: Path) -> int:
    """Room sockets open on one process, from its access lines (one when accepted, one when closed)."""
    opened = closed = 0
    for line in log.read_text().splitlines():
        record = json.loads(line)
        if record.get("logger") == "commons.access" and record.get("route") == "/ws/rooms/<slug:slug>/" and record.get("status") == 101:
            if "close" in record:
                closed += 1
            else:
                opened += 1
    return opened - closed


def wait_until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def assert_no_line_tells(stack) -> None:
    logs = stack["app_logs"] + stack["nginx_logs"]
    leaks = {f"{log.name}: {secret}": line for log in logs for line in log.read_text().splitlines()
             for secret in SECRETS if secret in line}
    assert leaks == {}
    nginx_access = next(log for log in stack["nginx_logs"] if log.name == "access.log").read_text()
    assert " GET status=200 " in nginx_access and " POST status=302 " in nginx_access
    # The request id nginx made is the one the app logged for the same request.
    ids = {json.loads(line).get("request_id") for log in stack["app_logs"] for line in log.read_text().splitlines()}
    assert any(f"rid={rid} " in nginx_access for rid in ids if len(rid) == 32)


def test_sign_in_and_post_over_https_through_nginx(stack, browser):
    from playwright.sync_api import expect

    base = stack["base"]
    page = _context(browser, stack).new_page()
    page.set_default_timeout(10_000)
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", AUTHOR)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/accounts/login/'] [type=submit]").click()
    page.wait_for_url(f"{base}/")
    assert page.context.cookies()[0]["secure"]  # the production settings' Secure cookie, over HTTPS through nginx

    page.goto(f"{base}/b/talk/new/")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=body]", BODY)
    page.get_by_role("button", name="Post thread").click()
    page.wait_for_url(f"{base}/t/**")
    expect(page.locator("body")).to_contain_text(BODY)
    stylesheet = page.evaluate("[...document.styleSheets].filter(s => s.href && s.cssRules.length).length")
    assert stylesheet >= 1  # static files, hashed names, served by nginx
    assert missing == []
    page.context.close()
    assert_no_line_tells(stack)


def test_chat_across_the_two_processes_through_nginx(stack, browser):
    if not distributed():
        pytest.skip("the two processes share a room only through Redis: without DATABASE_URL (PostgreSQL) and "
                    "REDIS_URL each has its own in-memory channel layer")
    from playwright.sync_api import expect

    base = stack["base"]
    first, second = stack["app_logs"]

    def open_room(context, others_before: tuple[int, int]):
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{base}/rooms/live/")
        wait_until(lambda: room_sockets_open(first) + room_sockets_open(second) == sum(others_before) + 1)
        return page

    author_context = _context(browser, stack)
    page = author_context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", AUTHOR)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/accounts/login/'] [type=submit]").click()
    page.wait_for_url(f"{base}/")
    page.close()
    author = open_room(author_context, (room_sockets_open(first), room_sockets_open(second)))
    author_on_first = room_sockets_open(first) == 1

    listener_context = _context(browser, stack)
    listener_context.add_cookies([{"name": "sessionid", "value": stack["session"], "url": base}])
    listener = open_room(listener_context, (room_sockets_open(first), room_sockets_open(second)))
    for _ in range(6):  # round robin: reload until the listener's socket is on the other process
        if room_sockets_open(second if author_on_first else first) == 1:
            break
        listener.reload()
        wait_until(lambda: room_sockets_open(first) + room_sockets_open(second) == 2)
    assert (room_sockets_open(first), room_sockets_open(second)) == (1, 1), "one socket through each upstream"

    expect(author.locator("#chat-online")).to_have_text("2 people online")
    author.fill("#chat-input", "first from one process")
    author.keyboard.press("Enter")
    expect(listener.locator("#chat-log")).to_contain_text("first from one process")
    listener.fill("#chat-input", "answer from the other")
    listener.keyboard.press("Enter")
    expect(author.locator("#chat-log")).to_contain_text("answer from the other")
    author_context.close()
    listener_context.close()
    wait_until(lambda: room_sockets_open(first) + room_sockets_open(second) == 0)
    assert_no_line_tells(stack)
