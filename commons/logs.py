"""Logs that help without exposing anyone: one line per record, plain or JSON, and our own access log.

No line may hold an address (the client's, a forwarded one, or the server's own), a pseudonym, a path (a
private help room's path names it) or anything anyone wrote. Three layers keep it so (docs/deploy.md, "Logs"):

- `PrivacyFilter`, on every handler: drops uvicorn's own per-request and per-socket lines (they carry the
  client's address and the raw path, whatever `--no-access-log` says); for any logger that is not this
  project's, withholds the arguments of a message unless its template is known safe, and keeps only the
  first line of a pre-formatted one (asyncio puts reprs of tasks and exceptions on the following lines).
  This project's own loggers log types and counts only, so their arguments stay.
- `OneLineFormatter`: an exception is printed as its frames and its type, never its message (which can
  quote a row or a frame); newlines are escaped so a record is one line; a last scrub replaces anything
  shaped like an IP address or a help room's slug.
- `AccessLog`, ASGI middleware: per HTTP request and per socket a request id, the method, the route's
  pattern (never the path), the status, the time and the bytes.

Nothing here imports Django at module level: uvicorn's `--log-config` (deploy/uvicorn-logging.json) loads
the filter and formatter before the application and its settings.
"""

import contextvars
import json
import logging
import os
import re
import secrets
import time
import traceback

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

OWN_LOGGERS = ("commons", "config", "peers", "forum", "rooms", "moderation", "safety", "helpnow", "bench", "hrc")
# Third-party templates whose arguments are numbers or our own words only.
SAFE_TEMPLATES = frozenset({
    "Started server process [%d]", "Finished server process [%d]", "Started parent process [%d]",
    "Stopping parent process [%d]", "Child process [%d] died", "Waiting for child process [%d]",
    "Started reloader process [%d] using %s", "Stopping reloader process [%d]",
})
# Third-party templates rewritten with only their safe arguments.
REWRITES = {
    # The address it listens on is not a client's, but no address is written at all.
    ("uvicorn.error", "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)"): lambda args: f"Uvicorn running ({args[0]}, port {args[2]})",
    # django.request: the reason phrase stays, the path goes (the access line names the route).
    ("django.request", "%s: %s"): lambda args: f"{args[0]} (the access line with this request id names the route)",
}
WITHHELD = "[withheld]"
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
_IPV6 = re.compile(
    r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?"
    r"|::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?)(?![\w:])"
)
_HELP_ROOM = re.compile(r"help-[0-9A-Za-z_-]+")


def scrub(text: str) -> str:
    """The last layer: anything shaped like an address or a help room's slug, replaced."""
    text = _IPV4.sub("[address]", text)
    text = _IPV6.sub("[address]", text)
    return _HELP_ROOM.sub("help-[room]", text)


def _withhold(template: str) -> str:
    return _PERCENT.sub(lambda m: "%" if m.group(1) == "%" else WITHHELD, template)


def _is_own(name: str) -> bool:
    return name.split(".", 1)[0] in OWN_LOGGERS


def _is_uvicorn_connection_line(record: logging.LogRecord) -> bool:
    msg = record.msg if isinstance(record.msg, str) else ""
    return record.name.startswith("uvicorn") and (
        msg.startswith('%s - "WebSocket ') or msg in ("connection open", "connection closed")
    )


class PrivacyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" or _is_uvicorn_connection_line(record):
            return False
        if getattr(record, "_hrc_checked", False):
            return True
        record._hrc_checked = True
        if _is_own(record.name):
            return True
        if not isinstance(record.msg, str):
            # uvicorn logs an OSError as is ("... bind on address ('127.0.0.1', 8000) ..."): its type only.
            record.msg, record.args = type(record.msg).__name__, ()
            return True
        rewrite = REWRITES.get((record.name, record.msg))
        if record.args and rewrite and isinstance(record.args, tuple):
            try:
                record.msg, record.args = rewrite(record.args), ()
            except Exception:
                record.msg, record.args = _withhold(record.msg), ()
        elif record.args and record.msg not in SAFE_TEMPLATES:
            record.msg, record.args = _withhold(record.msg), ()
        record.msg = record.msg.split("\n", 1)[0]
        return True


def format_exception(exc_info) -> str:
    """Frames (file, line, function) and types, never the messages (an exception's text can quote a row, a frame
    or a path); no source lines either, so the line stays short."""
    _type, error, tb = exc_info
    parts, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
                         for frame in traceback.extract_tb(tb if error is exc_info[1] else error.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(error).__module__}.{type(error).__qualname__}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\nwhile handling:\n".join(reversed(parts))


ACCESS_FIELDS = ("method", "route", "status", "close", "ms", "bytes")


class OneLineFormatter(logging.Formatter):
    """`fmt` is "plain" or "json"; unset, LOG_FORMAT decides (uvicorn's --log-config builds it before settings)."""

    def __init__(self, fmt: str | None = None, **_ignored):
        super().__init__()
        self.json = (fmt or os.environ.get("LOG_FORMAT", "plain")).lower() == "json"

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # a bad template or arguments: never the arguments
            message = _withhold(str(record.msg))
        fields = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                  "request_id": getattr(record, "request_id", None) or request_id.get(), "message": scrub(message)}
        access = getattr(record, "access", None)
        if access:
            fields.update((key, access[key]) for key in ACCESS_FIELDS if access.get(key) is not None)
        if record.exc_info and record.exc_info[0] is not None:
            fields["exception"] = scrub(format_exception(record.exc_info))
        if self.json:
            return json.dumps(fields, ensure_ascii=False)
        head = f"{fields.pop('time')} {fields.pop('level')} {fields.pop('logger')} rid={fields.pop('request_id')} {fields.pop('message')}"
        tail = " ".join(f"{key}={value}" for key, value in fields.items())
        return (f"{head} {tail}" if tail else head).replace("\r", "\\r").replace("\n", "\\n")


# --- access log ---

access_logger = logging.getLogger("commons.access")
_INCOMING_ID = re.compile(rb"[0-9a-f]{16,64}")


def _incoming_request_id(scope) -> str | None:
    """nginx's $request_id (X-Request-ID), so its lines and ours can be matched; hex only, or a new one."""
    for name, value in scope.get("headers") or ():
        if name == b"x-request-id" and _INCOMING_ID.fullmatch(value):
            return value.decode()
    return None


class AccessLog:
    """ASGI middleware: one line per HTTP request; per socket one when it is accepted or refused and one when it
    ends. `websocket_routes` are the URLRouter's patterns, so a socket's line names its route as a page's does."""

    def __init__(self, app, websocket_routes=None):
        self.app = app
        self.websocket_routes = websocket_routes
        self._ws_resolver = None

    def route(self, scope) -> str:
        from django.conf import settings
        from django.urls import Resolver404, URLResolver, get_resolver
        from django.urls.resolvers import RegexPattern

        path = scope.get("path", "")
        try:
            if scope["type"] == "websocket":
                if self._ws_resolver is None:
                    self._ws_resolver = URLResolver(RegexPattern(r"^/"), self.websocket_routes or [])
                return "/" + self._ws_resolver.resolve(path).route.lstrip("^/")
            if path.startswith(settings.STATIC_URL):
                return settings.STATIC_URL + "*"
            return "/" + get_resolver().resolve(path).route
        except Resolver404:
            return "(no route)"
        except Exception:  # a path no pattern can read (bad characters): the same answer
            return "(no route)"

    def log(self, scope, access: dict, started: float, message: str = "request") -> None:
        access["ms"] = round((time.perf_counter() - started) * 1000, 1)
        access["route"] = self.route(scope)
        access["method"] = "WS" if scope["type"] == "websocket" else scope.get("method", "-")
        status = access.get("status") or 0
        level = logging.ERROR if status >= 500 else logging.INFO
        access_logger.log(level, message, extra={"access": access})

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or not access_logger.isEnabledFor(logging.INFO):
            return await self.app(scope, receive, send)
        token = request_id.set(_incoming_request_id(scope) or secrets.token_hex(8))
        started = time.perf_counter()
        http = {"status": None, "bytes": 0}
        socket = {"accepted": False, "status": None, "close": None}

        async def logged_send(message):
            kind = message["type"]
            if kind == "http.response.start":
                http["status"] = message["status"]
            elif kind == "http.response.body":
                http["bytes"] += len(message.get("body", b""))
            elif kind == "websocket.accept":
                socket["accepted"], socket["status"] = True, 101
                self.log(scope, {"status": 101}, started, "socket accepted")
            elif kind == "websocket.close":
                if socket["accepted"]:
                    socket["close"] = socket["close"] or message.get("code", 1000)
                else:
                    socket["status"] = 403
            elif kind == "websocket.http.response.start":
                socket["status"] = message["status"]
            await send(message)

        async def logged_receive():
            message = await receive()
            if message["type"] == "websocket.disconnect" and socket["close"] is None:
                socket["close"] = message.get("code", 1005)
            return message

        try:
            await self.app(scope, logged_receive, logged_send)
        except BaseException:
            if scope["type"] == "http" and http["status"] is None:
                http["status"] = 500
            raise
        finally:
            if scope["type"] == "http":
                self.log(scope, {"status": http["status"] or 499, "bytes": http["bytes"]}, started)  # 499: gone unanswered
            elif socket["accepted"]:
                self.log(scope, {"status": 101, "close": socket["close"] or 1000}, started, "socket closed")
            else:
                self.log(scope, {"status": socket["status"] or 403}, started, "socket refused")
            request_id.reset(token)
