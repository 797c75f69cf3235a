"""Feeds that track nobody: valid Atom (checked with xml.etree against RFC 4287's structure), JSON Feed 1.1,
no account and no cookie, ETag and Last-Modified with 304 on a conditional GET, the licence shown."""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from django.utils.http import http_date

from checking import services as checking_services
from peers import roles
from safety import services as safety_services
from safety.feeds import MSG_UNKNOWN_REGION
from tests.checking.conftest import csv_of
from tests.conftest import make_peer
from tests.safety.conftest import ALERT_FORM

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feeds/alerts.atom", "/feeds/alerts.json", "/feeds/alerts/downtown.atom", "/feeds/alerts/downtown.json",
         "/feeds/results.atom", "/feeds/results.json"]


@pytest.fixture
def content(db, moderator):
    [result, _other] = checking_services.results_import(by=None, data=csv_of(
        "2026-11-20,Downtown,heroin,fentanyl:8%;xylazine:trace,ftir,Downtown checking,",
        "2026-11-21,Eastside,cocaine,cocaine,ftir,Eastside checking,",
    ))
    downtown = safety_services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7}, results=[result.pk])
    eastside = safety_services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7, "region": "Eastside", "source": "peer"})
    return {"result": result, "downtown": downtown, "eastside": eastside}


def atom(response) -> ElementTree.Element:
    """The feed, checked against the parts of RFC 4287 a reader needs: feed id, title, updated, a self link,
    and for each entry an id, a title, an updated date and an alternate link."""
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None and root.find(f"{ATOM}{name}").text, name
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert any(link.get("rel") == "alternate" and link.get("href", "").startswith("http") for link in entry.findall(f"{ATOM}link"))
        assert timezone.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    return root


def test_the_alerts_feed_is_atom_with_each_alerts_evidence(client, content):
    root = atom(client.get("/feeds/alerts.atom"))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    downtown = next(e for e in entries if "Downtown" in e.find(f"{ATOM}title").text)
    related = [link.get("href") for link in downtown.findall(f"{ATOM}link") if link.get("rel") == "related"]
    assert related == [f"http://testserver/results/{content['result'].pk}/"]
    assert "Source: lab or drug-checking result" in downtown.find(f"{ATOM}summary").text
    assert root.find(f"{ATOM}rights").text.startswith("Open data under CC BY 4.0")


def test_a_regions_feed_holds_only_its_alerts(client, content):
    entries = atom(client.get("/feeds/alerts/eastside.atom")).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Danger: Fentanyl (Eastside)"]
    document = json.loads(client.get("/feeds/alerts/eastside.json").content)
    assert [item["_alert"]["region"] for item in document["items"]] == ["Eastside"]


def test_an_unknown_region_has_no_feed_and_says_which_do(client, content):
    for path in ("/feeds/alerts/atlantis.atom", "/feeds/alerts/atlantis.json"):
        response = client.get(path)
        assert response.status_code == 404
        assert "There is no region \u201catlantis\u201d here" in response.content.decode()
        assert "/feeds/alerts/west-end.atom" in response.content.decode()


def test_the_results_feed_is_atom_and_json(client, content):
    entries = atom(client.get("/feeds/results.atom")).findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert any("Found: fentanyl (8%), xylazine (trace)" in e.find(f"{ATOM}summary").text for e in entries)
    document = json.loads(client.get("/feeds/results.json").content)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["_licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert {item["_result"]["sold_as"] for item in document["items"]} == {"heroin", "cocaine"}


def test_the_json_alerts_feed_carries_evidence(client, content):
    document = json.loads(client.get("/feeds/alerts.json").content)
    downtown = next(item for item in document["items"] if item["_alert"]["region"] == "Downtown")
    assert downtown["_alert"]["evidence"] == [f"http://testserver/results/{content['result'].pk}/"]
    assert downtown["_alert"]["source"] == "drug_checking"


@pytest.mark.parametrize("path", FEEDS)
def test_a_conditional_get_answers_304(client, content, path):
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    older = http_date((timezone.now() - timedelta(days=30)).timestamp())
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize("path", FEEDS)
def test_a_feed_needs_no_account_and_sets_no_cookie(client, content, path):
    response = client.get(path)
    assert response.status_code == 200 and not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_a_new_alert_changes_the_etag(client, content, moderator):
    etag = client.get("/feeds/alerts.atom")["ETag"]
    safety_services.alert_end(alert=content["eastside"], by=moderator)
    ended = client.get("/feeds/alerts.atom", HTTP_IF_NONE_MATCH=etag)
    assert ended.status_code == 200 and ended["ETag"] != etag
    safety_services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7, "substance": "Nitazenes"})
    assert client.get("/feeds/alerts.atom", HTTP_IF_NONE_MATCH=ended["ETag"]).status_code == 200
    assert client.get("/feeds/alerts/eastside.atom", HTTP_IF_NONE_MATCH=client.get("/feeds/alerts/eastside.atom")["ETag"]).status_code == 304


def test_a_new_result_changes_the_results_feed(client, content):
    etag = client.get("/feeds/results.json")["ETag"]
    checking_services.results_import(by=make_peer(roles.CHECKER), data=csv_of("2026-11-22,Downtown,down,fentanyl,ftir,S,"))
    assert client.get("/feeds/results.json", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_licence_follows_the_setting(client, content, settings):
    settings.OPEN_DATA_LICENCE = "ODbL 1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    assert atom(client.get("/feeds/results.atom")).find(f"{ATOM}rights").text.startswith("Open data under ODbL 1.0")
    for page in ("/results/", "/alerts/"):
        assert 'href="https://opendatacommons.org/licenses/odbl/1-0/" rel="license noreferrer">ODbL 1.0</a>' in client.get(page).content.decode()


def test_an_empty_feed_is_still_valid(client, db):
    root = atom(client.get("/feeds/alerts.atom"))
    assert root.findall(f"{ATOM}entry") == []
    assert client.get("/feeds/results.json").status_code == 200


def test_the_unknown_region_message_is_a_constant():
    assert "{slug}" in MSG_UNKNOWN_REGION
