"""/results/ and its filters, each result's page, the charts and their tables, and who may publish."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from django.utils.html import escape

from checking import selectors, services
from checking.models import Result, SampleReport
from checking.permissions import MSG_CHECKERS_ONLY, MSG_ORGANISERS_ONLY
from peers import roles
from tests.checking.conftest import csv_of
from tests.conftest import make_peer

SVG = "{http://www.w3.org/2000/svg}"


def day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def results(db):
    """Six results: four sold as down (two with fentanyl, one with xylazine too), a cocaine and an old pill."""
    return services.results_import(by=None, data=csv_of(
        f"{day(1)},Downtown,down,fentanyl:10%;xylazine:trace,ftir,Downtown checking,",
        f"{day(2)},Downtown,down,fentanyl:5%,ftir,Downtown checking,",
        f"{day(3)},Eastside,down,heroin,ftir,Eastside checking,",
        f"{day(4)},Eastside,down,heroin;caffeine,lab,Eastside lab,",
        f"{day(5)},Downtown,cocaine,cocaine;levamisole:trace,ftir,Downtown checking,",
        f"{day(200)},Northside,oxycodone,protonitazene,mass_spectrometry,North lab,pressed to look like M30s",
    ))


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="result-(\d+)"', response.content.decode())]


def test_results_list_everyone_sees_every_result(client, results):
    response = client.get("/results/")
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(r.pk for r in results)


@pytest.mark.parametrize("query, expected", [
    ("region=Downtown", [0, 1, 4]),
    ("region=downtown", [0, 1, 4]),
    ("sold_as=down", [0, 1, 2, 3]),
    ("found=xylazine", [0]),
    ("found=fentanyl", [0, 1]),
    ("found=nitazenes", [5]),
    ("found=protonitazene", [5]),
    ("sold_as=down&region=Eastside", [2, 3]),
    (f"since={day(3)}", [0, 1, 2]),
    (f"until={day(4)}", [3, 4, 5]),
    (f"since={day(4)}&until={day(2)}", [1, 2, 3]),
])
def test_filters(client, results, query, expected):
    response = client.get(f"/results/?{query}")
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(results[i].pk for i in expected)


@pytest.mark.parametrize("query, message", [
    ("region=Atlantis", selectors.MSG_FILTER_REGION.format(value="Atlantis")),
    ("sold_as=pizza", selectors.MSG_FILTER_SOLD_AS.format(value="pizza")),
    ("found=unobtainium", selectors.MSG_FILTER_FOUND.format(value="unobtainium")),
    ("since=yesterday", selectors.MSG_FILTER_DATE.format(value="yesterday")),
])
def test_an_unknown_filter_is_said_and_left_out(client, results, query, message):
    response = client.get(f"/results/?{query}")
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert len(listed(response)) == len(results)


def test_a_result_page_shows_what_was_found(client, results):
    response = client.get(f"/results/{results[0].pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fentanyl (10%)" in page and "Xylazine (trace)" in page and "Downtown checking" in page
    assert client.get("/results/999999/").status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(client, results, django_assert_max_num_queries):
    services.results_import(by=None, data=csv_of(*[f"{day(1)},Southside,down,fentanyl;xylazine;caffeine,ftir,S," for _ in range(25)]))
    client.get("/results/")  # the charts' numbers are cached after the first page
    with django_assert_max_num_queries(6):
        client.get("/results/")


def _svg_numbers(page: str, name: str) -> dict:
    svg = re.search(rf'<svg[^>]*data-chart="{name}".*?</svg>', page, re.S).group(0)
    root = ElementTree.fromstring(svg)
    numbers = {}
    for group in root.iter(f"{SVG}g"):
        for rect in group.iter(f"{SVG}rect"):
            numbers[(group.get("data-group"), rect.get("data-concern"))] = (int(rect.get("data-count")), int(rect.get("data-share")))
        numbers[(group.get("data-group"), "total")] = int(group.get("data-total"))
    return numbers


def _table_numbers(page: str, name: str) -> dict:
    table = re.search(rf'<table class="sc-table" data-table="{name}">.*?</table>', page, re.S).group(0)
    numbers = {}
    for row in re.finditer(r'<tr data-group="([^"]+)">(.*?)</tr>', table, re.S):
        numbers[(row.group(1), "total")] = int(re.search(r'data-total="(\d+)"', row.group(2)).group(1))
        for concern, count, share in re.findall(r'data-concern="(\w+)" data-count="(\d+)" data-share="(\d+)"', row.group(2)):
            numbers[(row.group(1), concern)] = (int(count), int(share))
    return numbers


def test_the_charts_hold_the_numbers_of_their_tables(client, results):
    page = client.get("/results/?sold_as=down").content.decode()
    for name in ("by-month", "by-region"):
        assert _svg_numbers(page, name) == _table_numbers(page, name)
    by_region = _table_numbers(page, "by-region")
    assert by_region[("Downtown", "total")] == 2 and by_region[("Downtown", "fentanyl")] == (2, 100)
    assert by_region[("Downtown", "xylazine")] == (1, 50)
    assert by_region[("Eastside", "total")] == 2 and by_region[("Eastside", "fentanyl")] == (0, 0)
    month = timezone.localdate().strftime("%Y-%m")
    this_month = _svg_numbers(page, "by-month")
    recent = [r for r in results[:4] if r.checked_on.strftime("%Y-%m") == month]
    assert this_month[(month, "total")] == len(recent)


def test_the_month_chart_counts_only_what_was_sold_as_the_filter(client, results):
    page = client.get("/results/?sold_as=cocaine").content.decode()
    numbers = _table_numbers(page, "by-region")
    assert numbers == {("Downtown", "total"): 1, **{("Downtown", key): (0, 0) for key in ("fentanyl", "xylazine", "nitazenes", "benzodiazepines", "medetomidine")}}


def test_the_charts_change_when_results_are_added(client, results):
    before = _table_numbers(client.get("/results/").content.decode(), "by-region")
    services.results_import(by=None, data=csv_of(f"{day(1)},Downtown,down,medetomidine,ftir,S,"))
    after = _table_numbers(client.get("/results/").content.decode(), "by-region")
    assert after[("Downtown", "total")] == before[("Downtown", "total")] + 1
    assert after[("Downtown", "medetomidine")][0] == 1


# --- who may publish -----------------------------------------------------------------------------------

FORM = {"checked_on": "2026-11-02", "region": "Downtown", "sold_as": "down", "found": "fentanyl:8%; xylazine:trace",
        "method": "ftir", "service": "Downtown checking", "note": ""}


def test_a_checker_publishes_a_result(client, checker):
    client.force_login(checker)
    assert client.get("/results/new/").status_code == 200
    response = client.post("/results/new/", FORM)
    result = Result.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/results/{result.pk}/"


@pytest.mark.parametrize("role", [roles.MEMBER, roles.MODERATOR, roles.ORGANISER])
def test_no_one_else_publishes_a_result(client, db, role):
    client.force_login(make_peer(role))
    response = client.post("/results/new/", FORM)
    assert response.status_code == 403 and escape(str(MSG_CHECKERS_ONLY)) in response.content.decode()
    assert client.post("/results/upload/", {"file": ""}).status_code == 403
    assert Result.objects.count() == 0


def test_a_visitor_is_sent_to_log_in(client, db):
    response = client.get("/results/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/results/new/", FORM).status_code == 403
    assert Result.objects.count() == 0


def test_the_form_says_what_is_wrong_and_stores_nothing(client, checker):
    client.force_login(checker)
    response = client.post("/results/new/", {**FORM, "found": "fentanil"})
    assert response.status_code == 400 and "fentanil" in response.content.decode()
    response = client.post("/results/new/", {**FORM, "note": "text me on 0412 345 678"})
    assert response.status_code == 400 and "Results are public" in response.content.decode()
    assert Result.objects.count() == 0


def test_a_checker_uploads_a_file(client, checker):
    client.force_login(checker)
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("r.csv", csv_of(f"{day(1)},Downtown,down,fentanyl,ftir,S,").encode(), content_type="text/csv")
    assert client.post("/results/upload/", {"file": good}).status_code == 302
    bad = SimpleUploadedFile("r.csv", csv_of(f"{day(1)},Downtown,down,fentanyl,ftir,S,", f"{day(1)},Nowhere,down,fentanyl,ftir,S,").encode())
    response = client.post("/results/upload/", {"file": bad})
    assert response.status_code == 400 and "Line 3:" in response.content.decode()
    assert Result.objects.count() == 1


def test_the_sample_file_is_offered(client, db):
    response = client.get("/results/sample.csv")
    assert response.status_code == 200 and response.content.startswith(b"date,region,sold_as,found,method,service,note")


# --- members report samples; checkers confirm ------------------------------------------------------------

REPORT = {"checked_on": "2026-11-20", "region": "Eastside", "sold_as": "heroin", "found": "fentanyl", "method": "test_strip",
          "note": "strip went positive straight away"}


def test_a_member_reports_a_sample_and_a_checker_confirms_it(client, peer, checker):
    client.force_login(peer)
    assert client.post("/results/report/", REPORT).status_code == 302
    report = SampleReport.objects.get()
    assert Result.objects.count() == 0
    assert client.get("/results/reports/").status_code == 403
    assert client.post(f"/results/reports/{report.pk}/", {"action": "confirm"}).status_code == 403
    client.force_login(checker)
    assert f"report-{report.pk}" in client.get("/results/reports/").content.decode()
    response = client.post(f"/results/reports/{report.pk}/", {"action": "confirm", "service": "Eastside checking", "note": ""})
    result = Result.objects.get()
    assert response.status_code == 302 and result.service == "Eastside checking" and result.has_fentanyl
    assert client.post(f"/results/reports/{report.pk}/", {"action": "decline"}).status_code == 409


def test_a_report_with_bad_values_is_refused(client, peer):
    client.force_login(peer)
    response = client.post("/results/report/", {**REPORT, "found": "pixie dust"})
    assert response.status_code == 400 and SampleReport.objects.count() == 0


def test_a_flagged_report_is_shown_flagged_to_the_checker(client, peer, checker):
    client.force_login(peer)
    client.post("/results/report/", {**REPORT, "note": "ring 0412 345 678 for more"})
    assert SampleReport.objects.get().screening_reason
    client.force_login(checker)
    assert "contact details" in client.get("/results/reports/").content.decode()


def test_a_result_stores_no_person(db):
    fields = {field.name for field in Result._meta.get_fields()}
    assert not fields & {"author", "peer", "client", "published_by", "user"}


# --- the role ----------------------------------------------------------------------------------------------

def test_an_organiser_gives_and_takes_the_checker_role(client, organiser, peer):
    client.force_login(organiser)
    assert client.post("/results/checkers/", {"name": peer.username, "action": "grant"}).status_code == 302
    peer.refresh_from_db()
    assert type(peer).objects.get(pk=peer.pk).has_perm("peers.check_results")
    assert peer.username in client.get("/results/checkers/").content.decode()
    client.post("/results/checkers/", {"name": peer.username, "action": "revoke"})
    assert not type(peer).objects.get(pk=peer.pk).has_perm("peers.check_results")
    assert client.post("/results/checkers/", {"name": "nobody-here", "action": "grant"}).status_code == 400


def test_only_organisers_give_the_role(client, moderator, peer):
    client.force_login(moderator)
    response = client.post("/results/checkers/", {"name": peer.username, "action": "grant"})
    assert response.status_code == 403 and escape(str(MSG_ORGANISERS_ONLY)) in response.content.decode()


def test_reports_and_publications_meet_their_rate_limits(client, peer, checker, settings):
    settings.RATE_LIMITS = {"sample_report": (1, 3600), "results_publish": (1, 3600)}
    client.force_login(peer)
    assert client.post("/results/report/", REPORT).status_code == 302
    assert client.post("/results/report/", REPORT).status_code == 429
    client.force_login(checker)
    assert client.post("/results/new/", FORM).status_code == 302
    assert client.post("/results/new/", FORM).status_code == 429
    assert SampleReport.objects.count() == 1 and Result.objects.count() == 1


def test_deleting_an_account_deletes_its_sample_reports_and_keeps_results(client, peer, checker):
    from peers.services import account_delete

    client.force_login(peer)
    client.post("/results/report/", REPORT)
    client.post("/results/report/", {**REPORT, "checked_on": "2026-11-21"})
    client.force_login(checker)
    client.post(f"/results/reports/{SampleReport.objects.order_by('id').first().pk}/", {"action": "confirm", "service": "S"})
    account_delete(peer=peer)
    assert SampleReport.objects.count() == 0 and Result.objects.count() == 1
