"""Text people write: one rule, shared by every service, for text that shows nothing.

A body of zero-width spaces, joiners, direction marks or blank-looking letters (the Hangul filler,
the blank Braille pattern) passes `str.strip()` but shows an empty post, title or name to everyone
else. Every service that stores text a person wrote calls `validate_visible` on it.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

MSG_INVISIBLE_ONLY = gettext_noop(
    "This has only spaces or invisible characters in it, so nobody could read it. Please write something visible."
)

# Unicode categories that never show a mark of their own: controls, format characters (zero-width space
# and joiners, direction marks, tags), surrogates, private use, unassigned, separators and combining marks.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
# Letters and symbols by category that render as blank space.
_BLANK_LOOKING = frozenset(
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u2800"  # Braille pattern blank
    "\u180e"  # Mongolian vowel separator (a letter in older Unicode versions)
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\U0001d159"  # musical symbol null notehead
)


def is_visible_character(ch: str) -> bool:
    return ch not in _BLANK_LOOKING and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES


def has_visible_text(text: str) -> bool:
    """At least one character that shows something."""
    return any(is_visible_character(ch) for ch in text)


def validate_visible(text: str) -> None:
    """Refuse non-empty text that shows nothing (empty text is each field's own business: required or not)."""
    if text and not has_visible_text(text):
        raise ValidationError(gettext(MSG_INVISIBLE_ONLY), code="invisible")


def has_invisible_character(text: str) -> bool:
    """Any character that shows nothing, spaces excepted (pseudonyms allow none)."""
    return any(not is_visible_character(ch) and ch != " " for ch in text)
