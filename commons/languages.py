"""The language the site speaks (issue 17): a member's choice is kept in the account (Peer.language); a visitor's
in the `lang` cookie; on a first visit Django's LocaleMiddleware follows the browser's Accept-Language.

LocaleMiddleware (after the session) picks cookie or Accept-Language; AccountLanguageMiddleware (after
authentication) puts a member's own choice above both.
"""

from http.cookies import CookieError, SimpleCookie

from django.conf import settings
from django.utils import formats, translation
from django.utils.functional import lazy
from django.utils.translation import trans_real

from commons.http import signed_in_member

CODES = frozenset(code for code, _ in settings.LANGUAGES)


def valid_language(code: str | None) -> str:
    code = (code or "").strip().lower()
    return code if code in CODES else ""


class LanguageResetMiddleware:
    """Just outside LocaleMiddleware: once the response is made, the thread goes back to the default language,
    so nothing rendered later on it (a service's notification, a consumer's frame, another test) inherits the
    last reader's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()


class AccountLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        member = signed_in_member(request)
        chosen = valid_language(member.language) if member is not None else ""
        if chosen and chosen != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen:
            response.headers.setdefault("Content-Language", chosen)
        return response


def grouped(number: int):
    """`number` with the reader's thousands separator (2,000 · 2.000 · 2 000), worked out when the text is shown:
    for the numbers inside module-level messages (`format_lazy(_("up to {max} characters"), max=grouped(2000))`)."""
    return lazy(lambda: formats.number_format(number, force_grouping=True), str)()


def scope_language(scope) -> str:
    """The language a socket speaks to its person, chosen as for their pages: the account's choice, else the `lang`
    cookie, else the browser's Accept-Language (sent with the socket's handshake), else English."""
    user = scope.get("user")
    if user is not None and getattr(user, "is_authenticated", False):
        chosen = valid_language(getattr(user, "language", ""))
        if chosen:
            return chosen
    headers = dict(scope.get("headers") or ())
    cookies = scope.get("cookies")
    if cookies is None:
        jar = SimpleCookie()
        try:
            jar.load(headers.get(b"cookie", b"").decode("latin-1"))
        except CookieError:
            pass
        cookies = {name: morsel.value for name, morsel in jar.items()}
    chosen = valid_language(cookies.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    for code, _quality in trans_real.parse_accept_lang_header(headers.get(b"accept-language", b"").decode("latin-1")):
        if code == "*":
            break
        try:
            return trans_real.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
