"""Every rate limit of the site: one table, one counter, one refusal.

Each limit has a name, a scope (whose attempts count together), a count and a window in seconds. Services
call `limit_use(name, *subject)` before they write, so a view, a socket and a command all meet the same
limit; over it they raise `RateLimited`, which the web answers with one 429 page (commons.middleware) that
says in words and in `Retry-After` when to try again, and a socket answers with a `rate_limited` error.

Counters are fixed windows in the cache (atomic `incr` on Redis, shared by every process). A subject
is never stored as it is: the cache key holds a keyed hash (HMAC with SECRET_KEY) of the limit's name and
the subject, so an address, a pseudonym or an account id cannot be read back from Redis.

`settings.RATE_LIMITS` overrides a count or a window by name, e.g. {"forum_post": (20, 600)}; the
environment sets it with RATE_LIMIT_<NAME>="count/seconds" (config/settings.py). SECURITY.md lists
the table.
"""

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_noop

# Scopes: whose attempts count together.
ACCOUNT = "account"  # one signed-in person
ADDRESS = "address"  # one client address (commons.clients), hashed
ACCOUNT_ADDRESS = "account+address"  # one pseudonym from one address (log-in failures)
NAME = "name"  # one pseudonym as typed, normalised (account recovery)
ROOM_ACCOUNT = "room+account"  # one person in one room

MINUTE, HOUR, DAY = 60, 3600, 86400


@dataclass(frozen=True)
class Limit:
    name: str
    scope: str
    count: int
    window: int  # seconds; 0: the caller gives it (a room's slow mode)
    message: str  # what happened, in English words (a msgid, said in the reader's language); the wait is added after it


TABLE: tuple[Limit, ...] = (
    # Accounts
    Limit("login", ADDRESS, 30, MINUTE, gettext_noop("That's a lot of log-in attempts from one place in a short time.")),
    Limit("login_failed", ADDRESS, 50, 15 * MINUTE,
          gettext_noop("There have been many wrong passwords from this connection, so log-ins from here are paused for a while.")),
    Limit("login_failed_account", ACCOUNT_ADDRESS, 5, 5 * MINUTE,
          gettext_noop("That password was wrong several times for this pseudonym. To protect the account, log-ins for it from here are paused.")),
    Limit("signup", ADDRESS, 10, HOUR, gettext_noop("Many accounts have been made from this connection in the last hour.")),
    Limit("recover", ADDRESS, 10, HOUR, gettext_noop("There have been many recovery attempts from this connection.")),
    Limit("recover_name", NAME, 5, HOUR, gettext_noop("There have been many recovery attempts for this pseudonym.")),
    Limit("password_change", ACCOUNT, 5, HOUR, gettext_noop("You've changed your password several times in a short time.")),
    Limit("recovery_code_new", ACCOUNT, 5, HOUR, gettext_noop("You've made several new recovery codes in a short time.")),
    Limit("profile_edit", ACCOUNT, 20, HOUR, gettext_noop("You've changed your profile many times in a short time.")),
    Limit("data_export", ACCOUNT, 10, HOUR, gettext_noop("You've downloaded your data many times in a short time.")),
    # Forum
    Limit("forum_post", ACCOUNT, 20, 10 * MINUTE, gettext_noop("You've posted a lot in a short time. Please take a breather.")),
    Limit("forum_post_new", ACCOUNT, 5, 10 * MINUTE, gettext_noop("New accounts can post {count} times every {window} while they settle in.")),
    Limit("forum_edit", ACCOUNT, 30, 10 * MINUTE, gettext_noop("You've changed posts many times in a short time.")),
    Limit("forum_reaction", ACCOUNT, 60, 10 * MINUTE, gettext_noop("That's a lot of reactions in a short time.")),
    Limit("forum_keep", ACCOUNT, 120, 10 * MINUTE, gettext_noop("That's a lot of bookmarks and subscriptions in a short time.")),
    # Live rooms
    Limit("room_message", ACCOUNT, 8, 10, gettext_noop("That's a lot of messages in a short time. Take a breath.")),
    Limit("room_slow_mode", ROOM_ACCOUNT, 1, 0, gettext_noop("Slow mode is on in this room.")),
    Limit("room_typing", ROOM_ACCOUNT, 1, 3, gettext_noop("Typing notices go out at most every few seconds.")),
    Limit("room_manage", ACCOUNT, 120, HOUR, gettext_noop("That's a lot of room changes in a short time.")),
    # Moderation
    Limit("report", ACCOUNT, 20, HOUR, gettext_noop("That's a lot of reports in a short time.")),
    Limit("report_restricted", ACCOUNT, 3, DAY, gettext_noop("While your account is restricted you can send at most {count} reports in {window}.")),
    Limit("appeal", ACCOUNT, 10, DAY, gettext_noop("You've sent several appeals today.")),
    Limit("moderator_action", ACCOUNT, 600, HOUR, gettext_noop("That's a lot of moderation in a short time.")),
    # Safety
    Limit("alert_post", ACCOUNT, 10, HOUR, gettext_noop("You've posted several alerts in the last hour.")),
    Limit("alert_seen", ACCOUNT, 60, HOUR, gettext_noop("That's a lot of “seen it too” in a short time.")),
    Limit("service_suggest", ACCOUNT, 20, HOUR, gettext_noop("You've sent many suggestions in the last hour.")),
    # Drug-checking results (a whole file counts once)
    Limit("results_publish", ACCOUNT, 60, HOUR, gettext_noop("You've published many results or files in the last hour.")),
    Limit("sample_report", ACCOUNT, 10, HOUR, gettext_noop("You've reported several samples in the last hour.")),
    # Community voice
    Limit("voice_propose", ACCOUNT, 3, DAY, gettext_noop("You've opened several proposals today.")),
    Limit("voice_vote", ACCOUNT, 60, HOUR, gettext_noop("That's a lot of voting in a short time.")),
    Limit("voice_stand", ACCOUNT, 10, DAY, gettext_noop("You've changed whether you'd stand for moderator several times today.")),
    Limit("voice_poll", ACCOUNT, 10, DAY, gettext_noop("You've added several polls today.")),
    Limit("voice_rate", ACCOUNT, 20, DAY, gettext_noop("You've rated many services today.")),
    # Get help now (ending a conversation is never limited)
    Limit("help_request", ACCOUNT, 6, HOUR, gettext_noop("You've asked for help several times in the last hour.")),
    Limit("help_action", ACCOUNT, 120, HOUR, gettext_noop("That's a lot in a short time.")),
)
LIMITS: dict[str, Limit] = {limit.name: limit for limit in TABLE}


class RateLimited(Exception):
    """Over a limit: nothing was done. `retry_after` in seconds; `message` says what happened and when to try again."""

    def __init__(self, limit: Limit, retry_after: int):
        self.limit = limit
        self.retry_after = retry_after
        said = gettext(limit.message)
        if limit.window:
            said = said.format(count=limit.count, window=wait_words(limit.window))
        self.message = f"{said} " + gettext("Please try again in %(wait)s.") % {"wait": wait_words(retry_after)}
        super().__init__(self.message)


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    if seconds < 2 * HOUR:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = math.ceil(seconds / HOUR)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def limit_for(name: str) -> Limit:
    """The table's limit, with any override from settings.RATE_LIMITS."""
    limit = LIMITS[name]
    override = getattr(settings, "RATE_LIMITS", {}).get(name)
    if override:
        count, window = override
        limit = Limit(limit.name, limit.scope, int(count), int(window), limit.message)
    return limit


def _key(limit: Limit, window: int, subject: tuple) -> tuple[str, int]:
    now = time.time()
    index = int(now // window)
    digest = hmac.new(settings.SECRET_KEY.encode(), "\x1f".join([limit.name, *map(str, subject)]).encode(), hashlib.sha256)
    retry_after = max(1, math.ceil((index + 1) * window - now))
    return f"limits:{limit.name}:{window}:{index}:{digest.hexdigest()[:32]}", retry_after


def _counted(limit: Limit, subject: tuple, *, window: int | None, add: bool) -> tuple[int, int, Limit]:
    window = window or limit.window
    if window <= 0:
        raise ValueError(f"limit {limit.name} needs a window")
    key, retry_after = _key(limit, window, subject)
    if not add:
        return cache.get(key, 0), retry_after, limit
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key), retry_after, limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1, retry_after, limit


def limit_use(name: str, *subject, window: int | None = None) -> None:
    """Count one use of `name` by `subject` (an account id, an address, ...); raise RateLimited if it is
    one too many. `window` only for limits whose window the caller sets (slow mode)."""
    limit = limit_for(name)
    used, retry_after, limit = _counted(limit, subject, window=window, add=True)
    if used > limit.count:
        raise RateLimited(limit, retry_after)


def limit_check(name: str, *subject, window: int | None = None) -> None:
    """Raise RateLimited if `subject` has already used up `name`; counts nothing (log-in failures are
    checked before the password, counted after it proves wrong)."""
    limit = limit_for(name)
    used, retry_after, limit = _counted(limit, subject, window=window, add=False)
    if used >= limit.count:
        raise RateLimited(limit, retry_after)


def limit_record(name: str, *subject) -> None:
    """Count one use without refusing it (a failed log-in: the refusal comes at the next attempt)."""
    _counted(limit_for(name), subject, window=None, add=True)
