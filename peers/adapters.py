import hashlib
import hmac

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from commons.clients import client_address
from commons.limits import limit_check, limit_record, limit_use
from peers import services
from peers.pseudonyms import normalise, pseudonym_key
from peers.selectors import check_pseudonym_free


class PeerAccountAdapter(DefaultAccountAdapter):
    """allauth customised in one place: pseudonyms, roles, recovery codes, and the site's own rate limits
    (commons.limits) for log-in, sign-up and password change; allauth's limiter is off (ACCOUNT_RATE_LIMITS)."""

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
        then look-alikes of reserved and existing names."""
        username = super().clean_username(normalise(username), shallow=shallow)
        if not shallow:
            check_pseudonym_free(username)
        return username

    def populate_username(self, request, user) -> None:
        super().populate_username(request, user)
        user.username_key = pseudonym_key(user.username)

    def set_password(self, user, password: str) -> None:
        limit_use("password_change", user.pk)
        super().set_password(user, password)

    def is_open_for_signup(self, request) -> bool:
        return settings.SIGNUP_OPEN
