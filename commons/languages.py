"""The language the site speaks (issue 17): a member's choice is kept in the account (Peer.language); a visitor's
in the `lang` cookie; on a first visit Django's LocaleMiddleware follows the browser's Accept-Language.

LocaleMiddleware (after the session) picks cookie or Accept-Language; AccountLanguageMiddleware (after
authentication) puts a member's own choice above both.
"""

from django.conf import settings
from django.utils import translation
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


def language_for_scope(scope, peer=None) -> str:
    """The language a socket speaks to its person, in the order a page uses: the member's own choice, the `lang`
    cookie, the browser's Accept-Language (from the handshake), else the site's default."""
    chosen = valid_language(getattr(peer, "language", "") if peer is not None else "")
    if chosen:
        return chosen
    cookie = valid_language((scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    header = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def language_of(peer) -> str:
    """A member's own language, for words made for them away from their request (a notice, a socket frame)."""
    return valid_language(getattr(peer, "language", "") if peer is not None else "") or settings.LANGUAGE_CODE
