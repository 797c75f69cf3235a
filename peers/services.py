"""Writes for accounts: onboarding, recovery, profile, roles, deletion."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

from commons.limits import limit_use
from commons.markup import render_markdown
from commons.languages import valid_language
from commons.zones import valid_zone
from commons.realtime import CLOSE_SESSION_ENDED, person_sockets_close
from commons.text import validate_visible
from peers import deleted_pseudonyms, recovery, roles
from peers.models import BIO_MAX_LENGTH, Notification, Peer
from peers.pseudonyms import normalise, pseudonym_key
from peers.selectors import unread_key


MSG_RECOVERY_FAILED = gettext_noop("That pseudonym and recovery code don't match. Check the code and try again.")
MSG_BIO_TOO_LONG_WORDS = gettext_noop("Your bio can have at most %(max)s characters.")
MSG_BIO_TOO_LONG = MSG_BIO_TOO_LONG_WORDS % {"max": f"{BIO_MAX_LENGTH:,}"}


class RecoveryFailed(Exception):
    pass


def recovery_code_show_once(request, code: str) -> None:
    """Hand a freshly issued code to the next page (/accounts/recovery-code/), sealed in the session."""
    recovery.code_seal(request.session, code)


@transaction.atomic
def recovery_code_issue(*, peer: Peer) -> str:
    """Replace the peer's recovery code with a new one; returns the plain code, shown once."""
    code = recovery.code_generate()
    peer.recovery_code_hash = recovery.code_hash(code)
    peer.save(update_fields=["recovery_code_hash"])
    return code


def recovery_code_renew(*, peer: Peer) -> str:
    """The person asks for a new code in Settings (password confirmed by the caller); limited per account."""
    limit_use("recovery_code_new", peer.pk)
    return recovery_code_issue(peer=peer)


@transaction.atomic
def peer_onboard(*, peer: Peer) -> str:
    """A new account joins the member role and gets its first recovery code."""
    role_grant(peer=peer, role=roles.MEMBER)
    return recovery_code_issue(peer=peer)


@dataclass(frozen=True)
class Recovered:
    peer: Peer
    new_code: str


@transaction.atomic
def account_recover(*, pseudonym: str, code: str, new_password: str, address: str) -> Recovered:
    """Set a new password with a recovery code; the code is used up and a new one issued.

    Limited per `address` (the client's, commons.clients) and per pseudonym as it reads (its look-alike
    key: " river", "River" and "rivеr" count together). The code is checked against a hash whether or not
    the pseudonym exists. Raises RateLimited, RecoveryFailed (no hint whether the pseudonym exists) or
    ValidationError for the password.
    """
    limit_use("recover", address)
    limit_use("recover_name", pseudonym_key(pseudonym))
    peer = Peer.objects.select_for_update().filter(username__iexact=normalise(pseudonym)).first()
    matched = recovery.code_matches(code, peer.recovery_code_hash if peer is not None else "")
    if peer is None or not matched:
        raise RecoveryFailed(gettext(MSG_RECOVERY_FAILED))
    validate_password(new_password, user=peer)
    peer.set_password(new_password)
    peer.save(update_fields=["password"])
    person_sockets_close(peer_id=peer.pk, code=CLOSE_SESSION_ENDED)  # whoever had the account open is signed out
    return Recovered(peer=peer, new_code=recovery_code_issue(peer=peer))


# Bios are screened like every text others read. Moderation does the screening and registers itself here at
# start-up (ModerationConfig.ready): peers sits below moderation and imports none of it.
BioScreen = Callable[[Peer, str], str]  # (peer, new bio) -> the reason it is held, "" to publish it
_bio_screen: BioScreen | None = None


def bio_screen_register(screen: BioScreen) -> None:
    global _bio_screen
    _bio_screen = screen


@transaction.atomic
def profile_update(*, peer: Peer, bio: str) -> str:
    """Store a new bio. Screened first: a held bio waits beside the approved one, which stays public (a
    person's earlier bio did nothing wrong, and their profile should not go blank for an edit). Returns
    "saved", "held" or "unchanged"."""
    bio = (bio or "").strip()
    if len(bio) > BIO_MAX_LENGTH:
        raise ValidationError(gettext(MSG_BIO_TOO_LONG_WORDS) % {"max": number_format(BIO_MAX_LENGTH, force_grouping=True)})
    validate_visible(bio)
    if bio == peer.bio and not peer.bio_pending:
        return "unchanged"
    limit_use("profile_edit", peer.pk)
    held_because = _bio_screen(peer, bio) if (_bio_screen is not None and bio) else ""
    if held_because:
        peer.bio_pending, peer.bio_pending_html, peer.bio_pending_reason = bio, render_markdown(bio), held_because[:500]
        peer.save(update_fields=["bio_pending", "bio_pending_html", "bio_pending_reason"])
        return "held"
    peer.bio, peer.bio_html = bio, render_markdown(bio) if bio else ""
    peer.bio_pending = peer.bio_pending_html = peer.bio_pending_reason = ""
    peer.save(update_fields=["bio", "bio_html", "bio_pending", "bio_pending_html", "bio_pending_reason"])
    return "saved"


@transaction.atomic
def bio_pending_approve(*, peer: Peer) -> bool:
    """A moderator publishes the held bio. False if none was waiting."""
    peer = Peer.objects.select_for_update().get(pk=peer.pk)
    if not peer.bio_pending:
        return False
    peer.bio, peer.bio_html = peer.bio_pending, peer.bio_pending_html
    peer.bio_pending = peer.bio_pending_html = peer.bio_pending_reason = ""
    peer.save(update_fields=["bio", "bio_html", "bio_pending", "bio_pending_html", "bio_pending_reason"])
    return True


@transaction.atomic
def bio_pending_drop(*, peer: Peer) -> bool:
    """A moderator turns the held bio down; the approved one stays. False if none was waiting."""
    return bool(Peer.objects.filter(pk=peer.pk).exclude(bio_pending="").update(bio_pending="", bio_pending_html="", bio_pending_reason=""))


def role_grant(*, peer: Peer, role: str) -> bool:
    group = roles.group_for(role)
    if peer.groups.filter(pk=group.pk).exists():
        return False
    peer.groups.add(group)
    return True


def role_revoke(*, peer: Peer, role: str) -> bool:
    group = roles.group_for(role)
    if not peer.groups.filter(pk=group.pk).exists():
        return False
    peer.groups.remove(group)
    return True


@transaction.atomic
def account_delete(*, peer: Peer, erase_words: bool = False) -> None:
    """Delete the account, in one transaction: if any part fails, nothing is deleted.

    First each app's `account_deleting(peer, erase_words=...)` hook runs (the same registry as "download my
    data"): helpnow deletes the person's private help conversations, and with `erase_words` the forum and
    rooms erase what they wrote. Then the pseudonym is kept from sign-up for a while (peers.deleted_pseudonyms)
    and the row deleted: content that stays points at nobody ("former member"), private state goes with it (CASCADE).
    Every open socket of the person closes (4401) once this commits."""
    person_sockets_close(peer_id=peer.pk, code=CLOSE_SESSION_ENDED)
    for config in apps.get_app_configs():
        hook = getattr(config, "account_deleting", None)
        if hook is not None:
            hook(peer, erase_words=erase_words)
    deleted_pseudonyms.deleted_pseudonym_keep(pseudonym=peer.username)
    peer.delete()


def notification_send(*, recipient: Peer | None, kind: str, text: str, url: str = "", params: dict | None = None) -> bool:
    """Leave an in-app notice for `recipient`; False when there is nobody to tell (former member).

    `text` is English words marked for the catalogues (`gettext_noop("%(name)s replied in “%(title)s”")`), not
    translated here: the notice is said in the reader's language when it is shown (Notification.shown_text),
    with `params` (strings) filling its placeholders."""
    if recipient is None:
        return False
    Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], url=url[:300], params=params or {})
    _forget_unread_count(recipient.pk)
    return True


def notifications_forget(*, urls: list[str]) -> int:
    """Delete everyone's notices that point at one of `urls` (content erased with its author's account)."""
    deleted = 0
    for start in range(0, len(urls), 500):
        notices = Notification.objects.filter(url__in=urls[start : start + 500])
        for recipient_id in set(notices.values_list("recipient_id", flat=True)):
            _forget_unread_count(recipient_id)
        deleted += notices.delete()[0]
    return deleted


def notifications_retitle(*, urls: list[str], old: str, new: str) -> int:
    """In notices that point at one of `urls`, say “new” where they said “old” (an erased thread title)."""
    changed = 0
    quoted_old, quoted_new = f"“{old}”", f"“{new}”"
    for start in range(0, len(urls), 500):
        batch = urls[start : start + 500]
        for notice in Notification.objects.filter(url__in=batch, params__title=old):  # said in the reader's language
            notice.params = {**notice.params, "title": new}
            notice.save(update_fields=["params"])
            changed += 1
        for notice in Notification.objects.filter(url__in=batch, text__contains=quoted_old):  # written before params
            notice.text = notice.text.replace(quoted_old, quoted_new)[:300]
            notice.save(update_fields=["text"])
            changed += 1
    return changed


def notifications_mark_read(*, peer: Peer, up_to_id: int | None = None) -> int:
    """Mark the peer's notifications read, those up to `up_to_id` (the newest the page showed: one that came
    after it stays unread) or all of them."""
    unread = peer.notifications.filter(read_at__isnull=True)
    if up_to_id is not None:
        unread = unread.filter(pk__lte=up_to_id)
    marked = unread.update(read_at=timezone.now())
    _forget_unread_count(peer.pk)
    return marked


def time_zone_set(*, peer: Peer, name: str) -> bool:
    """Keep the reader's time zone (an IANA name, as the browser tells it) in the account; every time on a page is
    then shown in it (commons.zones). ValidationError for a name that is not a known zone. True if it changed."""
    zone = valid_zone(name)
    if not zone:
        raise ValidationError(gettext("That is not a time zone we know."), code="time_zone")
    return _preference_set(peer, "time_zone", zone)


def language_set(*, peer: Peer, code: str) -> bool:
    """Keep the language the site speaks to `peer` (a code of settings.LANGUAGES). ValidationError for another
    code. True if it changed."""
    language = valid_language(code)
    if not language:
        raise ValidationError(gettext("That language is not offered here."), code="language")
    return _preference_set(peer, "language", language)


def _preference_set(peer: Peer, field: str, value: str) -> bool:
    """Store one reader preference (already validated) on the account; True if it changed."""
    if getattr(peer, field) == value:
        return False
    Peer.objects.filter(pk=peer.pk).update(**{field: value})
    setattr(peer, field, value)
    return True


def _forget_unread_count(peer_id: int) -> None:
    """Now, and again after commit, so a read between the two cannot cache the count from before."""
    cache.delete(unread_key(peer_id))
    transaction.on_commit(lambda: cache.delete(unread_key(peer_id)))
