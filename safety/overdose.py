"""Overdose signals in what people write: when one shows, the author and readers see the overdose card.

Plain phrases, matched on word boundaries so unrelated text ("that's odd", "methods",
"blue jeans", "breathing exercises") does not trigger it. "OD" counts only in capitals
or with an apostrophe ("od'd"), because lower-case "od" is part of too many words.
A mention of "overdose" alone (for example "overdose prevention site") is not a signal:
the card is for something happening now, and showing it under every policy thread
would teach people to ignore it.
"""

import re

_PHRASES = [
    r"not\s+breathing",
    r"(?:isn'?t|is\s+not|aren'?t|are\s+not|wasn'?t|stopped|barely|hardly|no\s+longer)\s+breathing",
    r"can'?t\s+breathe",
    r"blue\s+lips",
    r"lips\s+(?:are|were|look|looked|going|turning|turned)\s+blue",
    r"turning\s+blue",
    r"unresponsive",
    r"(?:won'?t|can'?t|couldn'?t|wouldn'?t|not)\s+wake\s+(?:\w+\s+)?up",
    r"overdos(?:ing|ed)",
    r"having\s+an\s+overdose",
    r"od'(?:d|ed|ing)",
]
# Both sources are also valid JavaScript regular expressions: static/js/overdose.js reads them from
# safety/_overdose_card_template.html, so live room messages use exactly the same signals.
PHRASES_PATTERN = r"\b(?:" + "|".join(_PHRASES) + r")\b"  # case-insensitive
# Capital OD as a word: "she's OD-ing", "he OD'd", "I think it's an OD".
CAPITAL_OD_PATTERN = r"(?<![\w-])OD(?:'?s|'?d|'?ed|-?ing)?(?![\w])"  # case-sensitive
_CASE_INSENSITIVE = re.compile(PHRASES_PATTERN, re.IGNORECASE)
_CAPITAL_OD = re.compile(CAPITAL_OD_PATTERN)


def mentions_overdose(text: str) -> bool:
    """True when `text` carries a sign that someone may be overdosing now."""
    if not text:
        return False
    return bool(_CASE_INSENSITIVE.search(text) or _CAPITAL_OD.search(text))


_TAG = re.compile(r"<[^>]+>")


def html_mentions_overdose(body_html: str) -> bool:
    """The same test on stored, sanitised HTML, read as its text (as the live chat does with textContent)."""
    return mentions_overdose(_TAG.sub("", body_html or ""))
