import hashlib
import hmac

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError

from peers import services
from peers.models import MSG_NO_EMAIL
from peers.reservations import MSG_PSEUDONYM_RESERVED, is_reserved

MSG_PSEUDONYM_TAKEN = "That pseudonym is taken. Please choose another."
MSG_PSEUDONYM_NOT_ALLOWED = "That pseudonym can't be used here. Please choose another."
MSG_LOGIN_MISMATCH = "That pseudonym and password don't match. Check both and try again."
MSG_WRONG_PASSWORD = "That password isn't right."
MSG_TOO_MANY_LOGIN_ATTEMPTS = "Too many tries with a wrong password. Please wait a few minutes and try again."
MSG_SLOW_DOWN = "That's a lot of tries in a short time. Please wait a while and try again."


class PeerAccountAdapter(DefaultAccountAdapter):
    """allauth customised in one place: pseudonyms, roles, recovery codes, hashed rate-limit keys, our words."""

    # allauth's own wording, wherever a person can see it, in ours: a pseudonym, never a "username"
    # or an email address (the email messages stay allauth's: no email page answers, see config/urls.py).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": MSG_PSEUDONYM_TAKEN,
        "username_blacklisted": MSG_PSEUDONYM_NOT_ALLOWED,
        "username_password_mismatch": MSG_LOGIN_MISMATCH,
        "invalid_login": MSG_LOGIN_MISMATCH,
        "account_inactive": "This account can't sign in.",
        "incorrect_password": MSG_WRONG_PASSWORD,
        "enter_current_password": "Please type your current password.",
        "too_many_login_attempts": MSG_TOO_MANY_LOGIN_ATTEMPTS,
        "rate_limited": MSG_SLOW_DOWN,
        "same_as_current": "The new password must be different from the current one.",
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """allauth's checks (validators, blocked names, taken), then the names of recently deleted accounts."""
        username = super().clean_username(username, shallow=shallow)
        if not shallow and is_reserved(username):
            raise ValidationError(MSG_PSEUDONYM_RESERVED, code="reserved")
        return username

    def clean_email(self, email: str) -> str:
        """No form may store an email address: every allauth form that takes one refuses it here."""
        raise ValidationError(MSG_NO_EMAIL, code="no_email")

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
