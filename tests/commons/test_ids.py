"""Ids out of range answer 404 on every route and query string that takes one, never 500 (issue 13, item 11)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from peers import roles
from tests.conftest import make_peer

HUGE = "99999999999999999999"  # 20 digits: more than SQLite's INTEGER or PostgreSQL's bigint holds
BIG_BUT_VALID = "999999999999999999"  # 18 digits: a well-formed id that names nothing


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _id_routes():
    routes = sorted({route for route in _routes() if "<id:" in route or "<int:" in route})
    assert len(routes) >= 25, routes  # forum, rooms, moderation, safety, helpnow
    return routes


def _fill(route: str, number: str) -> str:
    path = re.sub(r"<(?:id|int):\w+>", number, route)
    return "/" + re.sub(r"<(?:slug|str):\w+>", "some-slug", path)


@pytest.fixture
def everyone_client(client, db):
    """A moderator who is also an organiser and a supporter: permission checks let every route reach its lookup."""
    person = make_peer(roles.MODERATOR, username="all-roles")
    from peers import services as peer_services

    peer_services.role_grant(peer=person, role=roles.ORGANISER)
    peer_services.role_grant(peer=person, role=roles.SUPPORTER)
    client.force_login(person)
    return client


@pytest.mark.django_db
def test_every_id_route_answers_404_for_an_id_too_large_for_the_database(everyone_client):
    for route in _id_routes():
        for number in (HUGE, "9223372036854775808", BIG_BUT_VALID):
            path = _fill(route, number)
            for method in ("get", "post"):
                status = getattr(everyone_client, method)(path).status_code
                assert status in (404, 405), f"{method.upper()} {path} answered {status}"


@pytest.mark.django_db
def test_a_visitor_gets_404_for_a_thread_id_past_the_database_range(client):
    assert client.get(f"/t/{HUGE}/").status_code == 404
    assert client.get(f"/t/{HUGE}/any-slug/").status_code == 404
    assert client.get(f"/p/{HUGE}/").status_code == 404


@pytest.mark.django_db
def test_a_quote_id_out_of_range_or_not_ascii_goes_back_to_the_thread(auth_client, thread_factory, peer):
    thread = thread_factory(author=peer)
    for quote in (HUGE, "²", "٣", "-1", " 1"):
        response = auth_client.get(f"/t/{thread.pk}/reply/", {"quote": quote})
        assert response.status_code == 302, quote


@pytest.mark.django_db
def test_a_report_of_an_id_out_of_range_is_refused_in_words(auth_client):
    from moderation.targets import MSG_BAD_TARGET

    response = auth_client.get("/report/", {"target": f"post:{HUGE}"})
    assert response.status_code == 200
    response = auth_client.post("/report/", {"target": f"message:{HUGE}", "reason": "spam"})
    assert response.status_code == 400
    assert MSG_BAD_TARGET.replace("'", "&#x27;") in response.content.decode()


def test_parse_id_takes_ascii_digits_only():
    from commons.ids import parse_id

    assert parse_id("42") == 42
    assert parse_id(42) == 42
    for bad in ("", "²", "٣", "-1", "1.0", " 1", HUGE, None, True, 10**19, "4" * 19):
        assert parse_id(bad) is None, bad
