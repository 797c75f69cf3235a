"""What makes a pseudonym acceptable: it must not identify the person."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

PSEUDONYM_MIN_LENGTH = 3
PSEUDONYM_MAX_LENGTH = 30

MSG_TOO_SHORT = f"A pseudonym needs at least {PSEUDONYM_MIN_LENGTH} characters."
MSG_TOO_LONG = f"A pseudonym can have at most {PSEUDONYM_MAX_LENGTH} characters."
MSG_CHARACTERS = "Use letters, numbers, dots, dashes or underscores only."
MSG_LOOKS_LIKE_EMAIL = (
    "This looks like an email address. Please pick a pseudonym that doesn't "
    "lead back to you: it keeps you safe here."
)
MSG_LOOKS_LIKE_PHONE = (
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
        raise ValidationError(MSG_TOO_SHORT, code="too_short")
    if len(value) > PSEUDONYM_MAX_LENGTH:
        raise ValidationError(MSG_TOO_LONG, code="too_long")


def validate_not_email(value: str) -> None:
    if _EMAIL_LIKE.search(value):
        raise ValidationError(MSG_LOOKS_LIKE_EMAIL, code="email_like")


def validate_not_phone(value: str) -> None:
    """Seven or more digits, however they are separated, read as a phone number."""
    if sum(ch.isdigit() for ch in value) >= _PHONE_DIGITS:
        raise ValidationError(MSG_LOOKS_LIKE_PHONE, code="phone_like")


validate_characters = RegexValidator(r"^[\w.-]+\Z", MSG_CHARACTERS, code="characters")

def validate_pseudonym(value: str) -> None:
    """One clear reason at a time, the one that matters most for the person first."""
    validate_not_email(value)
    validate_not_phone(value)
    validate_length(value)
    validate_characters(value)


PSEUDONYM_VALIDATORS = [validate_pseudonym]
