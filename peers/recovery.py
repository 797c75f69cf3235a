"""One-time recovery codes: the way back into an account that has no email."""

import secrets

from django.contrib.auth.hashers import check_password, make_password

# Crockford-style alphabet: no 0/O, 1/I/L confusion when copied by hand.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 4, 5  # 20 characters, about 99 bits


def code_generate() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def code_normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return make_password(code_normalise(code))


def code_matches(code: str, stored_hash: str) -> bool:
    if not stored_hash:
        return False
    return check_password(code_normalise(code), stored_hash)
