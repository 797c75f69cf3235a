"""Regions: a member follows regions, a visitor picks them in a cookie; their alerts come first in the banner and
on /alerts/, and every other alert still shows."""

import re

import pytest

from safety import selectors, services
from safety.models import FollowedRegion
from tests.safety.conftest import ALERT_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(moderator):
    """Four danger alerts, newest last: three Downtown, then the oldest in Eastside."""
    made = [services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7, "region": "Eastside", "substance": "Eastside batch"})]
    for number in range(3):
        made.append(services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7, "substance": f"Downtown batch {number}"}))
    return made


def banner_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-alert-id="(\d+)"', page)]


def card_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="card alert-card[^"]*" id="alert-(\d+)"', page)]


def test_without_regions_the_most_urgent_newest_come_first(client, alerts):
    page = client.get("/alerts/").content.decode()
    assert alerts[0].pk not in banner_ids(page)
    assert card_ids(page)[-1] == alerts[0].pk


def test_a_member_follows_a_region_and_its_alerts_come_first(client, peer, alerts):
    client.force_login(peer)
    assert client.post("/alerts/regions/", {"region": ["eastside"]}).status_code == 302
    assert list(FollowedRegion.objects.filter(peer=peer).values_list("region", flat=True)) == ["Eastside"]
    page = client.get("/alerts/").content.decode()
    assert banner_ids(page)[0] == alerts[0].pk
    assert card_ids(page) == [alerts[0].pk, alerts[3].pk, alerts[2].pk, alerts[1].pk]
    assert "Your regions: Eastside" in page
    client.post("/alerts/regions/", {})
    assert not FollowedRegion.objects.filter(peer=peer).exists()
    assert banner_ids(client.get("/alerts/").content.decode())[0] != alerts[0].pk


def test_a_visitor_picks_regions_in_a_cookie_of_names_only(client, alerts):
    response = client.post("/alerts/regions/", {"region": ["Eastside", "West End"]})
    assert response.status_code == 302
    cookie = response.cookies[selectors.REGIONS_COOKIE]
    assert cookie.value == "eastside.west-end" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not FollowedRegion.objects.exists()
    page = client.get("/").content.decode()
    assert banner_ids(page)[0] == alerts[0].pk
    assert 'value="Eastside" id="region-2" checked' in client.get("/alerts/regions/").content.decode()


def test_an_unknown_region_is_refused_and_nothing_kept(client, peer, alerts):
    response = client.post("/alerts/regions/", {"region": ["Atlantis"]})
    assert response.status_code == 400 and selectors.REGIONS_COOKIE not in response.cookies
    client.force_login(peer)
    response = client.post("/alerts/regions/", {"region": ["Eastside", "Atlantis"]})
    assert response.status_code == 400 and "Atlantis" in response.content.decode()
    assert not FollowedRegion.objects.exists()


def test_a_cookie_naming_no_configured_region_is_ignored(client, alerts):
    client.cookies[selectors.REGIONS_COOKIE] = "atlantis.<script>"
    assert client.get("/alerts/").status_code == 200
    assert selectors.regions_from_cookie("atlantis.eastside.EASTSIDE") == ["Eastside"]


def test_a_members_regions_cost_no_query_once_cached(client, peer, alerts, django_assert_num_queries):
    services.regions_follow(peer=peer, regions=["Eastside"])
    assert selectors.followed_regions_of(peer) == ["Eastside"]
    with django_assert_num_queries(0):
        assert selectors.followed_regions_of(peer) == ["Eastside"]
    assert services.regions_follow(peer=peer, regions=["eastside"]) is False


def test_followed_regions_are_in_the_data_export(peer):
    from django.apps import apps

    services.regions_follow(peer=peer, regions=["Downtown"])
    assert apps.get_app_config("safety").export_peer_data(peer)["followed_regions"] == ["Downtown"]
