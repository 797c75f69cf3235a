"""What makes a pseudonym acceptable: it must not identify the person, and must not pass for someone else.

Look-alikes are compared by their confusable skeleton (Unicode Technical Standard #39, section 4): the
name is NFKC-normalised, then each character is replaced by the prototype Unicode lists it as confusable
with (Cyrillic "о" -> "o", "0" -> "O", "m" -> "rn", ...), case folded, and mapped again. Two names with the
same key would read the same to people, so a new name whose key is taken, or is a reserved name's, is
refused. The data is Unicode's confusables.txt as packaged by confusable_homoglyphs (requirements.txt);
that package ships both directions of each pair but not which side is the prototype, so _PROTOTYPES
recovers it (see there). accounts' block of deleted pseudonyms hashes `pseudonym_key` too.
"""

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs.confusables import confusables_data
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from commons.text import has_invisible_character

PSEUDONYM_MIN_LENGTH = 3
PSEUDONYM_MAX_LENGTH = 30

MSG_TOO_SHORT_WORDS = gettext_noop("A pseudonym needs at least %(min)s characters.")
MSG_TOO_SHORT = MSG_TOO_SHORT_WORDS % {"min": PSEUDONYM_MIN_LENGTH}
MSG_TOO_LONG_WORDS = gettext_noop("A pseudonym can have at most %(max)s characters.")
MSG_TOO_LONG = MSG_TOO_LONG_WORDS % {"max": PSEUDONYM_MAX_LENGTH}
MSG_CHARACTERS = gettext_noop("Use letters, numbers, dots, dashes or underscores only.")
MSG_LOOKS_LIKE_EMAIL = gettext_noop(
    "This looks like an email address. Please pick a pseudonym that doesn't "
    "lead back to you: it keeps you safe here."
)
MSG_LOOKS_LIKE_PHONE = gettext_noop(
    "This looks like it contains a phone number. Please pick a pseudonym that "
    "doesn't lead back to you: it keeps you safe here."
)

_EMAIL_LIKE = re.compile(
    r"@|\(at\)|\[at\]|gmail|yahoo|hotmail|outlook|protonmail|icloud|\.(com|net|org)\Z",
    re.IGNORECASE,
)
_PHONE_DIGITS = 7


def validate_length(value: str) -> None:
    if len(value) < PSEUDONYM_MIN_LENGTH:
        raise ValidationError(gettext(MSG_TOO_SHORT_WORDS) % {"min": PSEUDONYM_MIN_LENGTH}, code="too_short")
    if len(value) > PSEUDONYM_MAX_LENGTH:
        raise ValidationError(gettext(MSG_TOO_LONG_WORDS) % {"max": PSEUDONYM_MAX_LENGTH}, code="too_long")


def validate_not_email(value: str) -> None:
    if _EMAIL_LIKE.search(value):
        raise ValidationError(gettext(MSG_LOOKS_LIKE_EMAIL), code="email_like")


def validate_not_phone(value: str) -> None:
    """Seven or more digits, however they are separated, read as a phone number."""
    if sum(ch.isdigit() for ch in value) >= _PHONE_DIGITS:
        raise ValidationError(gettext(MSG_LOOKS_LIKE_PHONE), code="phone_like")


validate_characters = RegexValidator(r"^[\w.-]+\Z", gettext_lazy(MSG_CHARACTERS), code="characters")


def validate_visible_characters(value: str) -> None:
    """\\w takes the Hangul filler and other blank-looking letters; a pseudonym may hold none of them."""
    if has_invisible_character(value):
        raise ValidationError(gettext(MSG_CHARACTERS), code="characters")


def validate_pseudonym(value: str) -> None:
    """One clear reason at a time, the one that matters most for the person first."""
    validate_not_email(value)
    validate_not_phone(value)
    validate_length(value)
    validate_characters(value)
    validate_visible_characters(value)


# --- look-alikes -------------------------------------------------------------------------------

MSG_LOOKALIKE = gettext_noop(
    "That pseudonym looks too much like one already in use, so people could mix the two of you up. "
    "Please pick another."
)
MSG_RESERVED = gettext_noop(
    "That pseudonym looks like a name the site keeps for itself (such as moderator or former member), "
    "so people could take it for an official account. Please pick another."
)
# Names nobody may take, compared by key with separators ignored (former_member, former.member, ...).
RESERVED = (
    "former member", "admin", "administrator", "moderator", "moderators", "moderator team", "mod team",
    "system", "staff", "official", "site", "harm reduction commons",
)
_SEPARATORS = re.compile(r"[\s._\-]+")


def _strip_marks(char: str) -> str:
    # confusable_homoglyphs wraps right-to-left characters in LEFT-TO-RIGHT MARKs for display.
    return char.replace("\u200e", "")


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Character -> its TR39 prototype (a string), for characters that are not prototypes themselves.

    In confusables.txt each source maps to one prototype and prototypes map to nothing, so in the
    package's two-way table a prototype lists all its sources while a source lists one prototype. A pair
    listing only each other (one source, one prototype) is mapped to its smaller character: any fixed
    choice gives the same equality between skeletons, which is all a comparison needs."""
    table = {_strip_marks(key): [_strip_marks(entry["c"]) for entry in entries] for key, entries in confusables_data.items()}
    mapping = {}
    for char, others in table.items():
        if len(char) != 1 or not others:
            continue
        longer = [other for other in others if len(other) > 1]
        if longer:  # "m" -> "rn": only a source maps to a sequence
            mapping[char] = longer[0]
        elif len(others) == 1:
            other = others[0]
            if len(table.get(other, ())) > 1:
                mapping[char] = other
            elif other < char:
                mapping[char] = other
    return mapping


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, each character to its prototype, NFD again."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(char, char) for char in decomposed))


def normalise(name: str) -> str:
    """The name as stored: NFKC (fullwidth letters become plain ones), no surrounding space."""
    return unicodedata.normalize("NFKC", name or "").strip()


def pseudonym_key(name: str) -> str:
    """Two pseudonyms that people would read as the same have the same key (stored as Peer.username_key,
    unique): case folded, its skeleton, and both again (a prototype may be a capital: "0" -> "O").
    "Moderator", "MODERATOR", "m0derator" and "moderatоr" (Cyrillic о) all give "rnoderator"."""
    return skeleton(skeleton(normalise(name).casefold()).casefold())


def pseudonym_keys(name: str) -> set[str]:
    """The keys a new name is checked against the stored ones with: `pseudonym_key`, and the same with the
    skeleton taken before case folding too, which reads a capital I as l ("paypaI") and Cyrillic capitals
    as Latin ones ("МОDЕRАТОR") where folding first would not. Only the first is stored: it is the one
    that treats "River" and "river" alike."""
    return {pseudonym_key(name), skeleton(skeleton(normalise(name)).casefold())}


@lru_cache(maxsize=1)
def _reserved_keys() -> frozenset[str]:
    return frozenset(_SEPARATORS.sub("", pseudonym_key(name)) for name in RESERVED)


def validate_not_reserved(value: str) -> None:
    if any(_SEPARATORS.sub("", key) in _reserved_keys() for key in pseudonym_keys(value)):
        raise ValidationError(gettext(MSG_RESERVED), code="reserved")


PSEUDONYM_VALIDATORS = [validate_pseudonym, validate_not_reserved]
