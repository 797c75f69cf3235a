"""One-time recovery codes: the way back into an account that has no email."""

import hashlib
import hmac
import secrets
import time
from functools import lru_cache

from django.conf import settings
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


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    return make_password(code_generate())


def code_matches(code: str, stored_hash: str) -> bool:
    """Whether `code` is the one `stored_hash` was made from. Without a stored hash (no such account, or
    none issued) a stand-in is checked all the same, so the answer takes the hasher's time either way:
    an existing pseudonym must not answer slower than an unknown one."""
    if not stored_hash:
        check_password(code_normalise(code), _stand_in_hash())
        return False
    return check_password(code_normalise(code), stored_hash)


# --- showing a new code once -----------------------------------------------------------------
# A new code is shown on the page after the POST that made it (sign-up, recovery, "new code"). Between the
# two it waits in the session sealed: XORed with a key stream that HMAC-SHA256 derives from SECRET_KEY and
# a fresh random nonce, so the session store (database, Redis, their backups) never holds the plain code.
# The page takes it out as it shows it; one left unshown is unreadable after SHOW_WITHIN.

SEALED_SESSION_KEY = "peers_recovery_code_sealed"
SHOW_WITHIN = 30 * 60  # seconds


def _stream(nonce: bytes, length: int) -> bytes:
    stream = b""
    counter = 0
    while len(stream) < length:
        block = f"recovery-code-once:{counter}:".encode() + nonce
        stream += hmac.new(settings.SECRET_KEY.encode(), block, hashlib.sha256).digest()
        counter += 1
    return stream[:length]


def code_seal(session, code: str) -> None:
    """Keep `code` in `session` for the next page, sealed (see above)."""
    nonce = secrets.token_bytes(16)
    data = code.encode()
    sealed = bytes(a ^ b for a, b in zip(data, _stream(nonce, len(data))))
    session[SEALED_SESSION_KEY] = {"nonce": nonce.hex(), "sealed": sealed.hex(), "at": int(time.time())}


def code_unseal_once(session) -> str | None:
    """The sealed code, removed from the session; None if there is none or it waited too long."""
    value = session.pop(SEALED_SESSION_KEY, None)
    try:
        nonce, sealed, at = bytes.fromhex(value["nonce"]), bytes.fromhex(value["sealed"]), int(value["at"])
    except (TypeError, KeyError, ValueError):
        return None
    if not 0 <= time.time() - at <= SHOW_WITHIN:
        return None
    return bytes(a ^ b for a, b in zip(sealed, _stream(nonce, len(sealed)))).decode(errors="replace")
