"""Role checks come from the cache (peers.backends), and a role change shows at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peers import roles, services
from peers.models import Peer

MODERATION_LINK = '<a href="/mod/">Moderation</a>'


def _permission_queries(client, url="/about/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]]


@pytest.mark.django_db
def test_a_second_page_asks_the_database_nothing_about_permissions(auth_client):
    auth_client.get("/about/")
    assert _permission_queries(auth_client) == []


@pytest.mark.django_db
def test_granting_and_revoking_a_role_shows_on_the_next_page(auth_client, peer):
    assert MODERATION_LINK not in auth_client.get("/about/").content.decode()
    services.role_grant(peer=peer, role=roles.MODERATOR)
    assert MODERATION_LINK in auth_client.get("/about/").content.decode()
    assert auth_client.get("/mod/").status_code == 200
    services.role_revoke(peer=peer, role=roles.MODERATOR)
    assert MODERATION_LINK not in auth_client.get("/about/").content.decode()
    assert auth_client.get("/mod/").status_code == 403


@pytest.mark.django_db
def test_a_permission_removed_from_a_role_group_is_forgotten(client, moderator):
    client.force_login(moderator)
    assert MODERATION_LINK in client.get("/about/").content.decode()
    Group.objects.get(name=roles.MODERATOR).permissions.remove(Permission.objects.get(codename="moderate"))
    assert MODERATION_LINK not in client.get("/about/").content.decode()


@pytest.mark.django_db
def test_each_person_gets_their_own_permissions(client, peer, moderator):
    client.force_login(moderator)
    assert MODERATION_LINK in client.get("/about/").content.decode()
    client.force_login(peer)
    assert MODERATION_LINK not in client.get("/about/").content.decode()
    assert Peer.objects.get(pk=peer.pk).is_moderator is False


@pytest.mark.django_db
def test_a_lost_version_key_never_brings_back_an_old_answer(client, moderator):
    from django.core.cache import cache

    from peers.backends import VERSION_KEY

    client.force_login(moderator)
    assert MODERATION_LINK in client.get("/about/").content.decode()  # cached as a moderator
    services.role_revoke(peer=moderator, role=roles.MODERATOR)
    cache.delete(VERSION_KEY)  # evicted, while the old entry may still be there
    assert MODERATION_LINK not in client.get("/about/").content.decode()


@pytest.mark.django_db
def test_an_answer_cached_between_a_change_and_its_commit_is_not_kept(client, moderator, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from peers.backends import VERSION_KEY

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        services.role_revoke(peer=moderator, role=roles.MODERATOR)
        # What another request would cache if it read the rows before the commit: the old role.
        cache.set(f"peers:perms:{cache.get(VERSION_KEY)}:{moderator.pk}:0", {"peers.moderate"}, 3600)
    assert MODERATION_LINK not in client.get("/about/").content.decode()
