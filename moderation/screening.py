"""Screening of new content as it lands: every text a person writes that another person can see.

Forum posts, room messages, alerts, profile bios (moderation.profiles), rooms' titles, topics and rules,
the answers of a help request (supporters read them) and service suggestions (reasons shown to the
reviewing moderator) call `screen()` before storing; it decides whether the content is published at once
or held for a moderator, and why. Appeal texts are not screened: only moderators read them
(docs/moderation.md, "What is screened").

- automatic holds: contact details (phone, email, street address), payment handles,
  sourcing language (patterns moderators edit at /mod/patterns/), links from new accounts;
- pre-moderation by trust: forum posts and alerts by new accounts (see moderation.trust).

Moderators are never held. The author is told, in plain words, why their words wait.
"""

import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext, gettext_noop

from moderation.models import ModerationStatus, SourcingPattern
from moderation.trust import is_new_account
from moderation.notices import notice_send

# Why something is held, in words shown to its author (the reason codes are for the queue).
HOLD_REASONS = {
    "contact": gettext_noop("it may contain contact details"),
    "payment": gettext_noop("it may contain a payment handle"),
    "sourcing": gettext_noop("it may be about buying or selling"),
    "link": gettext_noop("links from new accounts, and links in profiles, are checked first"),
    "new_account": gettext_noop("posts from new accounts are checked first"),
}
MSG_HELD = gettext_noop("Held because {reasons}; a moderator will look soon.")
# A link in a profile is held from everyone: a bio is where a dealer's contact would sit for good.
LINKS_ALWAYS_HELD = ("bio",)
# What the author is told, per kind of text.
NOTICES = {
    "post": gettext_noop("Your post is waiting for a moderator."),
    "edit": gettext_noop("Your edit is waiting for a moderator; until then your post shows the version that was approved."),
    "message": gettext_noop("Your room message is waiting for a moderator."),
    "alert": gettext_noop("Your alert is waiting for a moderator."),
    "bio": gettext_noop("Your new profile bio is waiting for a moderator; until then your profile shows the bio it had."),
    "room": gettext_noop("Your room's title, topic or rules are waiting for a moderator."),
    "help": gettext_noop("Supporters see that you asked for help; what you wrote waits for a moderator before they can read it."),
    "suggestion": gettext_noop("Your suggestion is waiting for a moderator, as every suggestion does."),
}

PATTERNS_CACHE_KEY = "moderation:patterns:v1"
PATTERNS_CACHE_SECONDS = 60

_PHONE = re.compile(
    r"(?<![\w/.-])(?:"
    r"\+?\d{1,3}[\s.-]?\(?\d{2,5}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}"  # +1 415 555 0134, 07700 900123
    r"|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}"  # (415) 555-0134
    r"|\d{3}[\s.-]\d{4}"  # 555-0134
    r"|\d{10,13}"  # 4155550134
    r")(?![\w/-])"
)
_EMAIL = re.compile(
    r"[\w.+-]+\s?(?:@|\(at\)|\[at\]|\s+at\s+)\s?[\w-]+(?:\.|\(dot\)|\[dot\]|\s+dot\s+)(?:com|net|org|io|me|co|uk|de|fr|ca|au|info|xyz|[a-z]{2,3}\b)",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"\b\d{1,5}[a-z]?\s+(?:[A-Za-z][\w'-]*\s+){1,3}"
    r"(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|close|crescent|square|sq)\b\.?",
    re.IGNORECASE,
)
_PAYMENT = re.compile(
    r"(?:(?<![\w$])\$[A-Za-z][A-Za-z0-9_]{2,19}\b"  # a $cashtag (a price like $20 starts with a digit)
    r"|\b(?:venmo|cash\s?app|zelle|paypal|revolut|monzo)\b\s*(?:me\s*)?[:\-]?\s*@[\w.-]{3,}"
    r"|\bpaypal\.me/\w+"
    r"|\b(?:bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,39}\b)",  # a bitcoin address
    re.IGNORECASE,
)
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|me|co|onion|ly|gg|xyz|shop|store)\b(?:/\S*)?", re.IGNORECASE)


@dataclass(frozen=True)
class Screening:
    status: str = ModerationStatus.APPROVED
    reasons: list[str] = field(default_factory=list)
    codes: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        return self.status == ModerationStatus.PENDING


def _compiled_patterns() -> list[re.Pattern]:
    cached = cache.get(PATTERNS_CACHE_KEY)
    if cached is None:
        cached = list(SourcingPattern.objects.filter(is_active=True).values_list("pattern", "kind"))
        cache.set(PATTERNS_CACHE_KEY, cached, PATTERNS_CACHE_SECONDS)
    compiled = []
    for pattern, kind in cached:
        source = pattern if kind == SourcingPattern.Kind.REGEX else r"(?<!\w)" + r"\s+".join(map(re.escape, pattern.split())) + r"(?!\w)"
        try:
            compiled.append(re.compile(source, re.IGNORECASE))
        except re.error:
            continue  # validated on save; an old bad row must not stop posting
    return compiled


def patterns_changed() -> None:
    cache.delete(PATTERNS_CACHE_KEY)


def hold_codes(text: str, *, new_account: bool, always_links: bool = False) -> list[str]:
    """The automatic-hold reason codes that `text` triggers, in a stable order."""
    codes = []
    if _PHONE.search(text) or _EMAIL.search(text) or _STREET.search(text):
        codes.append("contact")
    if _PAYMENT.search(text):
        codes.append("payment")
    if any(pattern.search(text) for pattern in _compiled_patterns()):
        codes.append("sourcing")
    if (new_account or always_links) and _LINK.search(text):
        codes.append("link")
    return codes


def held_message(codes, *, translate=False) -> str:
    """Why it is held: in English (stored), or in the active language (`translate`, for the author's notice)."""
    words = [gettext(HOLD_REASONS[code]) if translate else HOLD_REASONS[code] for code in codes]
    if len(words) == 1:
        joined = words[0]
    else:
        first, last = ", ".join(words[:-1]), words[-1]
        joined = gettext("%(first)s and %(last)s") % {"first": first, "last": last} if translate else f"{first} and {last}"
    return (gettext(MSG_HELD) if translate else MSG_HELD).format(reasons=joined)


def screen(*, author, text: str, kind: str) -> Screening:
    """Decide whether `text` by `author` is published now or held; `kind` is one of NOTICES."""
    if author is not None and getattr(author, "is_authenticated", False):
        if author.has_perm("peers.moderate"):
            return Screening()
        if kind == "alert" and author.has_perm("peers.host_rooms"):
            return Screening()  # organisers' alerts often carry a service's phone number on purpose
    new_account = is_new_account(author)
    codes = hold_codes(text or "", new_account=new_account, always_links=kind in LINKS_ALWAYS_HELD)
    if kind in ("post", "edit", "alert") and new_account:
        codes.append("new_account")
    if not codes:
        return Screening()
    message = held_message(codes)
    if author is not None and getattr(author, "is_authenticated", False):
        # Same transaction as the caller's write: if the content isn't stored, neither is the notice.
        notice_send(recipient=author, words=lambda: f"{gettext(NOTICES.get(kind, NOTICES['post']))} {held_message(codes, translate=True)}")
    return Screening(status=ModerationStatus.PENDING, reasons=[message], codes=tuple(codes))
