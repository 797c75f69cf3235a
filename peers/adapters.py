import hashlib
import hmac

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError

from peers import services


class PeerAccountAdapter(DefaultAccountAdapter):
    """allauth customised in one place: pseudonyms, roles, recovery codes, hashed rate-limit keys."""

    def get_client_ip(self, request) -> str:
        """A keyed hash stands in for the address: rate limits work, the address is never kept."""
        address = super().get_client_ip(request)
        return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]

    def pre_authenticate(self, request, **credentials) -> None:
        """Too many failed log-ins answer 429 with the readable page, like every other limit."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as refused:
            if refused.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from refused
            raise

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            code = services.peer_onboard(peer=user)
            request.session[services.RECOVERY_CODE_SESSION_KEY] = code
        return user

    def is_open_for_signup(self, request) -> bool:
        return settings.SIGNUP_OPEN
