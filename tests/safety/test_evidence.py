"""Alerts carry their evidence (issue 19): a source, links to the drug-checking results they rest on, raised by a
moderator straight from a result; "seen it too" counted once per member, never who."""

import re

import pytest
from django.utils.html import escape

from checking import services as checking_services
from peers import roles
from safety import selectors, services
from safety.models import DrugAlert
from tests.conftest import make_peer
from tests.safety.conftest import ALERT_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(db):
    checker = make_peer(roles.CHECKER)
    return checking_services.result_create(by=checker, checked_on="2026-11-20", region="Eastside", sold_as="heroin",
                                           found="fentanyl:8%; xylazine:trace", method="ftir", service="Eastside drug checking")


def test_a_moderator_sees_the_button_on_a_result_and_no_one_else(client, result, moderator, peer):
    button = f'href="/alerts/new/?result={result.pk}"'
    assert button not in client.get(result.get_absolute_url()).content.decode()
    client.force_login(peer)
    assert button not in client.get(result.get_absolute_url()).content.decode()
    client.force_login(moderator)
    assert button in client.get(result.get_absolute_url()).content.decode()


def test_a_moderator_raises_an_alert_from_a_result(client, result, moderator):
    client.force_login(moderator)
    form = client.get(f"/alerts/new/?result={result.pk}").context["form"]
    assert form.initial["region"] == "Eastside" and form.initial["results"] == str(result.pk)
    assert form.initial["source"] == "drug_checking" and form.initial["severity"] == "danger"
    assert "fentanyl" in form.initial["substance"].lower() and "Eastside drug checking" in form.initial["summary"]
    data = {**{name: form.initial.get(name, "") for name in ("substance", "summary", "region", "severity", "source", "results")}, "days": "7"}
    assert client.post("/alerts/new/", data).status_code == 302
    alert = DrugAlert.objects.get()
    assert alert.is_active and list(alert.results.all()) == [result]
    page = client.get("/alerts/").content.decode()
    assert "Source: lab or drug-checking result" in page
    assert f'href="/results/{result.pk}/" class="evidence__link"' in page


def test_the_banner_links_the_evidence(client, result, moderator):
    services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7}, results=[result.pk])
    assert selectors.banner_alerts()[0]["evidence"] == f"/results/{result.pk}/"
    assert f'href="/results/{result.pk}/" class="alert-banner__evidence"' in client.get("/").content.decode()


@pytest.mark.parametrize("results", ["999999", "abc", "-1"])
def test_an_unknown_result_is_refused_and_nothing_stored(client, moderator, result, results):
    client.force_login(moderator)
    response = client.post("/alerts/new/", {**ALERT_FORM, "results": results})
    assert response.status_code == 400 and escape(str(services.MSG_RESULT_UNKNOWN)) in response.content.decode()
    assert not DrugAlert.objects.exists()


@pytest.mark.parametrize("source, label", [("test_strip", "test strip"), ("peer", "peer reports"), ("drug_checking", "lab or drug-checking result")])
def test_every_alert_names_its_source(client, moderator, source, label):
    services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7, "source": source})
    assert f"Source: {label}" in client.get("/alerts/").content.decode()


def test_the_frame_carries_source_and_evidence(result, moderator):
    alert = services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7}, results=[result.pk])
    frame = services.alert_frame(alert)
    assert frame["source"] == "drug_checking" and frame["evidence"] == [f"/results/{result.pk}/"]


def test_seen_it_too_counts_each_member_once_and_never_says_who(client, moderator):
    alert = services.alert_create(author=moderator, **{**ALERT_FORM, "days": 7})
    members = [make_peer(username=name) for name in ("sage-one", "sage-two")]
    for member in members:
        client.force_login(member)
        assert client.post(f"/alerts/{alert.pk}/seen/").status_code == 302
        assert client.post(f"/alerts/{alert.pk}/seen/").status_code == 409
    alert.refresh_from_db()
    assert alert.seen_count == 2 and alert.sightings.count() == 2
    for reader, never in ((None, "sage-(one|two)"), (moderator, "sage-(one|two)"), (members[0], "sage-two")):
        if reader:
            client.force_login(reader)
        else:
            client.logout()
        page = client.get("/alerts/").content.decode()
        assert "2 people have seen this too." in page
        assert not re.search(never, page)
