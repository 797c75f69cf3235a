"""The one authentication backend: allauth's (log in by pseudonym; a ModelBackend underneath), with
permissions read from the cache because every page asks for them.

Every page asks "is this person a moderator?", and Django's ModelBackend answers with two joined
queries per request. Roles change rarely (peers.services role_grant/role_revoke, or the admin), and
every such change bumps one version number, so a cached answer is never older than the last change.

The signed-in person is read by ModelBackend's own `get_user` (the ORM), nothing cached: a changed
password or a deleted account counts at the next request. It was hand-written SQL until bench/pages.py
showed every page within its goal without it (docs/performance.md, "The signed-in person").
"""

import time

from allauth.account.auth_backends import AuthenticationBackend
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "peers:perms:version"
TIMEOUT = 60 * 60  # a safety net; invalidation is by version


def _fresh_version() -> int:
    """Never a number used before, even if the cache lost the version key while older entries survive."""
    return time.time_ns()


def permissions_changed(**_ignored) -> None:
    """Forget every cached permission set (a role was granted or revoked, a group's permissions changed):
    now, and again after commit, so that a request reading the old rows in between cannot cache them
    under the new version (a revoked moderator would otherwise keep the role for TIMEOUT)."""
    _bump_version()
    transaction.on_commit(_bump_version)


def _bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(VERSION_KEY, _fresh_version(), None)


class CachedPermissionsBackend(AuthenticationBackend):
    """allauth's backend (a ModelBackend) whose per-person permission set comes from the cache when it can."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            version = cache.get_or_set(VERSION_KEY, _fresh_version, None)
            key = f"peers:perms:{version}:{user_obj.pk}:{int(user_obj.is_superuser)}"
            permissions = cache.get(key)
            if permissions is None:
                permissions = super().get_all_permissions(user_obj)
                cache.set(key, permissions, TIMEOUT)
            # ModelBackend and allauth's backend (a ModelBackend too) read the same attribute.
            user_obj._perm_cache = permissions
        return user_obj._perm_cache
