"""ASGI middleware in front of Django: a request body larger than REQUEST_BODY_MAX_BYTES is refused with 413
before anything reads it.

Django's ASGI handler reads the whole body into a temporary file before any view or middleware runs, so a
200 MB POST to /accounts/login/ used to be written to disk before the 400. This wrapper answers at once when
Content-Length is too big, and stops reading a body without one (chunked) once it passes the limit. One limit
serves every route: the one upload, checkers' CSV files of results, fits in it (docs/supply.md); the proxy in
front refuses the same sizes first (docs/deploy.md: client_max_body_size).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation.trans_real import parse_accept_lang_header

MSG_TOO_LARGE = gettext_noop("That was more than this site takes in one go (at most {limit}). Nothing was saved.")


def _limit_words(limit: int) -> str:
    return f"{limit // 1024:,} KB" if limit < 1024 * 1024 else f"{limit / (1024 * 1024):g} MB"


def handshake_language(scope) -> str:
    """The language of a request Django has not seen yet: the `lang` cookie, else Accept-Language, else the default
    (what LocaleMiddleware would pick; a member's own choice needs the session, which is not read here)."""
    headers = dict(scope.get("headers") or [])
    cookies = scope.get("cookies")  # a socket's scope has them parsed (Channels' CookieMiddleware); a request's not yet
    if cookies is None:
        cookies = {}
        for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
            name, _, value = part.strip().partition("=")
            cookies.setdefault(name, value.strip())
    if cookies.get(settings.LANGUAGE_COOKIE_NAME):
        try:
            return translation.get_supported_language_variant(cookies[settings.LANGUAGE_COOKIE_NAME])
        except LookupError:
            pass
    for code, _quality in parse_accept_lang_header(headers.get(b"accept-language", b"").decode("latin-1")):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class RequestBodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.REQUEST_BODY_MAX_BYTES
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await self._refuse(send, limit, scope)
        received = 0
        over = False
        started = False

        async def limited_receive():
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True  # Django's handler stops reading at a disconnect and answers nothing
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)
        if over and not started:
            await self._refuse(send, limit, scope)

    @staticmethod
    async def _refuse(send, limit: int, scope) -> None:
        with translation.override(handshake_language(scope)):
            body = gettext(MSG_TOO_LARGE).format(limit=_limit_words(limit)).encode()
        await send({
            "type": "http.response.start", "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": body})
