import hashlib
import hmac

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from commons.clients import client_address
from commons.limits import limit_check, limit_record, limit_use
from peers import services
from peers.deleted_pseudonyms import MSG_PSEUDONYM_RECENTLY_DELETED, was_deleted_recently
from peers.models import MSG_NO_EMAIL
from peers.pseudonyms import normalise, pseudonym_key
from peers.selectors import check_pseudonym_free

MSG_PSEUDONYM_TAKEN = gettext_noop("That pseudonym is taken. Please choose another.")
MSG_PSEUDONYM_NOT_ALLOWED = gettext_noop("That pseudonym can't be used here. Please choose another.")
MSG_LOGIN_MISMATCH = gettext_noop("That pseudonym and password don't match. Check both and try again.")
MSG_WRONG_PASSWORD = gettext_noop("That password isn't right.")
MSG_TOO_MANY_LOGIN_ATTEMPTS = gettext_noop("Too many tries with a wrong password. Please wait a few minutes and try again.")
MSG_SLOW_DOWN = gettext_noop("That's a lot of tries in a short time. Please wait a while and try again.")


class PeerAccountAdapter(DefaultAccountAdapter):
    """allauth customised in one place: pseudonyms, roles, recovery codes, the site's own rate limits
    (commons.limits) for log-in, sign-up and password change (allauth's limiter is off: ACCOUNT_RATE_LIMITS),
    no email, and our words."""

    # allauth's own wording, wherever a person can see it, in ours: a pseudonym, never a "username"
    # or an email address (the email messages stay allauth's: no email page answers, see config/urls.py).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _(MSG_PSEUDONYM_TAKEN),
        "username_blacklisted": _(MSG_PSEUDONYM_NOT_ALLOWED),
        "username_password_mismatch": _(MSG_LOGIN_MISMATCH),
        "invalid_login": _(MSG_LOGIN_MISMATCH),
        "account_inactive": _("This account can't sign in."),
        "incorrect_password": _(MSG_WRONG_PASSWORD),
        "enter_current_password": _("Please type your current password."),
        "too_many_login_attempts": _(MSG_TOO_MANY_LOGIN_ATTEMPTS),
        "rate_limited": _(MSG_SLOW_DOWN),
        "same_as_current": _("The new password must be different from the current one."),
    }

    def get_client_ip(self, request) -> str:
        """A keyed hash stands in for the address wherever allauth asks for one: it is never kept."""
        return hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256).hexdigest()[:32]

    def pre_authenticate(self, request, **credentials) -> None:
        """Before the password is checked: every attempt counts per address; past failures refuse per
        address and per (pseudonym, address), never per pseudonym alone, so nobody can lock an account
        from everywhere and a right password from another place still works. Over a limit: one 429."""
        address = client_address(request)
        limit_use("login", address)
        limit_check("login_failed", address)
        limit_check("login_failed_account", pseudonym_key(credentials.get("username", "")), address)

    def authentication_failed(self, request, **credentials) -> None:
        address = client_address(request)
        limit_record("login_failed", address)
        limit_record("login_failed_account", pseudonym_key(credentials.get("username", "")), address)

    def save_user(self, request, user, form, commit=True):
        # Only an accepted sign-up counts toward the per-address limit: a refused form never gets here.
        limit_use("signup", client_address(request))
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.recovery_code_show_once(request, services.peer_onboard(peer=user))
        return user

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """NFKC first (fullwidth letters become plain ones), then allauth's checks (our validators, taken),
        then look-alikes of reserved and existing names, then (look-alikes of) recently deleted accounts' names."""
        username = super().clean_username(normalise(username), shallow=shallow)
        if not shallow:
            check_pseudonym_free(username)
            if was_deleted_recently(username):
                raise ValidationError(gettext(MSG_PSEUDONYM_RECENTLY_DELETED), code="recently_deleted")
        return username

    def clean_email(self, email: str) -> str:
        """No form may store an email address: every allauth form that takes one refuses it here."""
        raise ValidationError(gettext(MSG_NO_EMAIL), code="no_email")

    def populate_username(self, request, user) -> None:
        super().populate_username(request, user)
        user.username_key = pseudonym_key(user.username)

    def set_password(self, user, password: str) -> None:
        limit_use("password_change", user.pk)
        super().set_password(user, password)

    def is_open_for_signup(self, request) -> bool:
        return settings.SIGNUP_OPEN
