"""What /results/ and the feeds keep between readers (issue 19's speed at 100,000 results, docs/performance.md): the
count, each row's HTML, the month tallies behind the chart and each built feed. A reader must never see less than
what is published: every test here changes the results and looks again."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checking import selectors, services, tallies
from checking.models import MonthTally, Result
from checking.vocabulary import CONCERN_KEYS
from tests.checking.conftest import csv_of


def day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def results(db):
    return services.results_import(by=None, data=csv_of(
        f"{day(1)},Downtown,down,fentanyl:10%;xylazine:trace,ftir,Downtown checking,",
        f"{day(2)},Downtown,down,fentanyl:5%,ftir,Downtown checking,",
        f"{day(3)},Eastside,down,heroin,lab,Eastside lab,",
    ))


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="result-(\d+)"', response.content.decode())]


def count_shown(response) -> int:
    return int(re.search(r'role="status">(\d+) ', response.content.decode()).group(1))


def sql_of(client, url: str, **headers) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


# --- /results/ ---

def test_second_reader_of_results_reads_one_page_of_ids_only(client, results):
    """Fails without the kept count and rows: each reader counted every result and read 30 results and their substances."""
    client.get("/results/")
    queries = sql_of(client, "/results/")
    assert not [sql for sql in queries if "checking_found" in sql or "COUNT(" in sql.upper()], queries
    assert len([sql for sql in queries if "checking_result" in sql]) == 1


def test_a_new_result_shows_at_once_in_the_list_the_count_and_a_filter(client, results):
    assert count_shown(client.get("/results/")) == 3
    assert count_shown(client.get("/results/?found=xylazine")) == 1
    [new] = services.results_import(by=None, data=csv_of(f"{day(0)},Eastside,down,xylazine,ftir,Eastside lab,"))
    everything, xylazine = client.get("/results/"), client.get("/results/?found=xylazine")
    assert count_shown(everything) == 4 and listed(everything)[0] == new.pk
    assert count_shown(xylazine) == 2 and listed(xylazine)[0] == new.pk


def test_a_deleted_result_leaves_the_list_and_the_count_at_once(client, results):
    client.get("/results/")
    Result.objects.filter(pk=results[0].pk).delete()
    response = client.get("/results/")
    assert count_shown(response) == 2 and results[0].pk not in listed(response)


def test_rows_are_kept_per_language(client, db):
    """A row kept for a Spanish reader is not shown to an English one: the month is 'Ene' in one and 'Jan' in the other."""
    january = date(timezone.localdate().year - 1, 1, 15).isoformat()
    services.results_import(by=None, data=csv_of(f"{january},Downtown,down,fentanyl,ftir,Downtown checking,"))
    spanish = client.get("/results/", headers={"accept-language": "es"}).content.decode()
    english = client.get("/results/", headers={"accept-language": "en"}).content.decode()
    assert "15 Ene" in spanish
    assert "15 Jan" in english and "15 Ene" not in english


def test_a_filter_by_a_charts_group_finds_the_same_results_as_by_its_substances(client, results):
    """found=<group> reads the result's has_<group> column: the same results as the substances found say."""
    for key in CONCERN_KEYS:
        by_column = listed(client.get(f"/results/?found={key}"))
        by_substances = [r.pk for r in Result.objects.filter(found__group=key).distinct().order_by("-checked_on", "-id")]
        assert by_column == by_substances, key


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1" * 60, "\u200b1"])
def test_a_page_number_that_is_not_one_shows_a_page_of_the_list(client, results, page):
    response = client.get("/results/", {"page": page})
    assert response.status_code == 200
    assert listed(response)


# --- the month tallies behind the chart ---

def tallies_now() -> dict:
    return {(t.month, t.region, t.sold_as): (t.total, *(getattr(t, key) for key in CONCERN_KEYS))
            for t in MonthTally.objects.all() if t.total}


def counted_again() -> dict:
    tallies.tallies_rebuild()
    return tallies_now()


def test_tallies_match_the_results_after_import_form_and_delete(db, checker, results):
    kept = tallies_now()
    assert kept == counted_again() and sum(total for total, *_ in kept.values()) == 3
    services.result_create(by=checker, checked_on=day(40), region="Northside", sold_as="oxycodone", found="protonitazene",
                           method="mass_spectrometry", service="North lab")
    Result.objects.filter(pk=results[0].pk).delete()
    Result.objects.get(pk=results[1].pk).delete()
    kept = tallies_now()
    assert kept == counted_again() and sum(total for total, *_ in kept.values()) == 2


def test_the_month_chart_counts_a_new_result_at_once(db, results):
    filters = selectors.filters_from({"sold_as": "down"})
    before = selectors.chart_numbers(filters)["by_month"][-1]
    services.results_import(by=None, data=csv_of(f"{day(0)},Eastside,down,xylazine,ftir,Eastside lab,"))
    after = selectors.chart_numbers(filters)["by_month"][-1]
    xylazine = {row["key"]: row["count"] for row in before["concerns"]}["xylazine"]
    assert after["total"] == before["total"] + 1
    assert {row["key"]: row["count"] for row in after["concerns"]}["xylazine"] == xylazine + 1


def test_a_refused_import_leaves_the_tallies_alone(db, results):
    before = tallies_now()
    with pytest.raises(services.ImportRefused):
        services.results_import(by=None, data=csv_of(f"{day(0)},Eastside,down,xylazine,ftir,Eastside lab,",
                                                     f"{day(0)},Nowhere,down,xylazine,ftir,Eastside lab,"))
    assert tallies_now() == before


def test_results_tally_command_counts_them_again(db, results):
    from django.core.management import call_command

    MonthTally.objects.all().delete()
    call_command("results_tally", verbosity=0)
    assert tallies_now() == counted_again() and tallies_now()


# --- feeds ---

@pytest.mark.parametrize("url", ["/feeds/results.atom", "/feeds/results.json"])
def test_a_feed_is_built_once_per_version(client, results, url):
    """Fails without the feed kept under its ETag: each reader read 50 results and their substances again."""
    first = client.get(url)
    queries = sql_of(client, url)
    assert len(queries) == 1 and "checking_found" not in queries[0]
    assert client.get(url).content == first.content


@pytest.mark.parametrize("url", ["/feeds/results.atom", "/feeds/results.json"])
def test_a_new_result_is_in_the_feed_at_once_and_the_old_etag_gets_it(client, results, url):
    first = client.get(url)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    [new] = services.results_import(by=None, data=csv_of(f"{day(0)},Eastside,down,xylazine,ftir,Eastside lab,"))
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert f"/results/{new.pk}/" in again.content.decode()


def test_a_feed_kept_for_one_host_is_not_served_to_another(client, results, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    client.get("/feeds/results.json", HTTP_HOST="one.example")
    other = client.get("/feeds/results.json", HTTP_HOST="two.example").content.decode()
    assert "two.example/results/" in other and "one.example" not in other


# --- the method's label ---

def test_a_results_method_reads_in_the_readers_words(db, results):
    assert results[2].get_method_display() == "lab analysis"
    unknown = Result(method="carrier pigeon")
    assert unknown.get_method_display() == "carrier pigeon"


# --- a substance's filter, read from checking_found newest first ---

@pytest.mark.parametrize("query", [
    {"found": "heroin"}, {"found": "caffeine"}, {"found": "protonitazene"}, {"found": "levamisole"},
    {"found": "heroin", "region": "Eastside"}, {"found": "heroin", "sold_as": "down"}, {"found": "heroin", "sold_as": "cocaine"},
    {"found": "heroin", "since": day(3), "until": day(3)}, {"found": "caffeine", "since": day(10)},
])
def test_a_substances_filter_lists_what_the_results_say_newest_first(client, db, query):
    services.results_import(by=None, data=csv_of(
        f"{day(1)},Downtown,down,heroin;caffeine,ftir,Downtown checking,",
        f"{day(3)},Eastside,down,heroin,lab,Eastside lab,",
        f"{day(3)},Eastside,down,heroin;fentanyl,lab,Eastside lab,",
        f"{day(5)},Downtown,cocaine,cocaine;levamisole:trace,ftir,Downtown checking,",
        f"{day(20)},Eastside,oxycodone,protonitazene;caffeine,mass_spectrometry,North lab,",
    ))
    truth = Result.objects.filter(found__substance=query["found"])
    for name, lookup in (("region", "region"), ("sold_as", "sold_as"), ("since", "checked_on__gte"), ("until", "checked_on__lte")):
        if name in query:
            truth = truth.filter(**{lookup: query[name]})
    response = client.get("/results/", query)
    assert listed(response) == [r.pk for r in truth.order_by("-checked_on", "-id")]
    assert count_shown(response) == truth.count()


def test_each_substance_found_carries_its_results_date(db, results):
    from checking.models import Found

    assert all(found.checked_on == found.result.checked_on for found in Found.objects.select_related("result"))
