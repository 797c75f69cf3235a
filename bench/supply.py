"""/results/ and the feeds at 100,000 drug-checking results, as ratios to a trivial Django view (docs/supply.md).

    .venv/bin/python bench/supply.py                 # SQLite in a throw-away folder
    createdb -h 127.0.0.1 -U postgres hrc_supply_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrc_supply_bench .venv/bin/python bench/supply.py

Same method as bench/pages.py (whose helpers it uses): each page over HTTP from uvicorn with the production
settings, then in process; REPEAT rounds, round-robin, medians. The charts' numbers are cached per filter until
results change (checking.selectors.chart_numbers), so the pages are measured warm; the cold cost of the charts'
two grouped queries is timed on its own at the end, and so is each page with nothing kept (what the first reader
after a publication waits for). Results are bulk-loaded, bypassing the services for speed.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import pages  # noqa: E402  (sets up Django: a throw-away SQLite folder unless DATABASE_URL is set)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

RESULTS = int(os.environ.get("BENCH_RESULTS", "100000"))
SOLD = ["down", "down", "down", "fentanyl", "heroin", "oxycodone", "alprazolam", "cocaine", "crack", "methamphetamine", "mdma", "ketamine"]
FOUND = {
    "down": ["fentanyl", "xylazine", "medetomidine", "4-anpp", "caffeine", "bromazolam", "heroin"],
    "fentanyl": ["fentanyl", "xylazine", "bromazolam", "caffeine", "mannitol"],
    "heroin": ["heroin", "fentanyl", "caffeine"],
    "oxycodone": ["protonitazene", "metonitazene", "fentanyl", "mannitol", "oxycodone"],
    "alprazolam": ["bromazolam", "etizolam", "alprazolam", "desalkylgidazepam"],
}


def load():
    from checking import tallies
    from checking.models import Found, Method, Result
    from checking.vocabulary import CONCERN_KEYS, regions, substance_group
    from peers import roles
    from peers import services as peer_services
    from peers.models import Peer
    from safety.models import DrugAlert

    call_command("migrate", verbosity=0)
    reader = Peer.objects.filter(username="bench-reader").first()
    if Result.objects.count() >= RESULTS and reader is not None:
        print(f"reusing {Result.objects.count():,} results on {connection.vendor}")
        return reader
    reader = Peer.objects.create_user(username="bench-reader", password="bench-reader-pass-1")
    peer_services.peer_onboard(peer=reader)
    peer_services.role_grant(peer=reader, role=roles.MODERATOR)
    rng = random.Random(19)
    today = timezone.localdate()
    names, methods = regions(), Method.values
    started = time.perf_counter()
    for start in range(0, RESULTS, 5000):
        batch, found_lists = [], []
        for _ in range(min(5000, RESULTS - start)):
            sold = rng.choice(SOLD)
            main = "cocaine" if sold == "crack" else sold
            pool = FOUND.get(sold, [main, "caffeine", "levamisole" if main == "cocaine" else "mannitol"])
            found = rng.sample(pool, k=rng.randint(1, min(3, len(pool))))
            groups = {substance_group(key) for key in found}
            batch.append(Result(checked_on=today - timedelta(days=rng.randint(0, 730)), region=rng.choice(names), sold_as=sold,
                                method=rng.choice(methods), service="Bench drug checking",
                                **{f"has_{key}": key in groups for key in CONCERN_KEYS}))
            found_lists.append(found)
        stored = Result.objects.bulk_create(batch)
        Found.objects.bulk_create([Found(result=result, substance=key, group=substance_group(key), trace=rng.random() < 0.2,
                                         checked_on=result.checked_on)
                                   for result, found in zip(stored, found_lists) for key in found], batch_size=5000)
    tallies.tallies_rebuild()  # bulk_create bypasses the services, which keep the month tallies
    newest = list(Result.objects.order_by("-id")[:50])
    for n in range(50):
        alert = DrugAlert.objects.create(substance="Fentanyl", summary="Bench alert", region=names[n % len(names)], severity="danger",
                                         source="drug_checking", author=reader, moderation_status="approved")
        alert.results.set(newest[n:n + 2])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"loaded {Result.objects.count():,} results, {Found.objects.count():,} substances found in {time.perf_counter() - started:.1f}s on {connection.vendor}")
    return reader


def cold_charts_ms() -> dict:
    """The charts' numbers with nothing cached: the two grouped queries over every result."""
    from checking import selectors

    timings = {}
    for label, query in (("all samples", {}), ("sold as down", {"sold_as": "down"}), ("sold as down in Downtown", {"sold_as": "down", "region": "Downtown"})):
        filters = selectors.filters_from(query)
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            selectors._chart_numbers(filters)
            samples.append(time.perf_counter() - started)
        timings[label] = statistics.median(samples) * 1000
    return timings


def cold_pages_ms(listed: list) -> dict:
    """Each page of /results/ and each feed with nothing kept (the cache emptied before every request), in process:
    what the first reader after a publication waits for. Median of 7, in the first language of the run."""
    from django.core.cache import cache
    from django.test import Client

    visitor, timings = Client(headers={"accept-language": pages.LANGUAGES[0]}), {}
    for label, url, goal, _ in listed:
        if goal is None or label.startswith("member"):
            continue
        samples = []
        for _ in range(7):
            cache.clear()
            started = time.perf_counter()
            assert visitor.get(url).status_code == 200
            samples.append(time.perf_counter() - started)
        timings[label] = statistics.median(samples) * 1000
    return timings


def main() -> None:
    pages._urlconf()
    reader = load()
    from checking.models import Result

    some = Result.objects.order_by("id").values_list("id", flat=True)[RESULTS // 2]
    since = (timezone.localdate() - timedelta(days=60)).isoformat()
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    visitor = True
    listed = [
        ("trivial view", "/bench/trivial/", None, visitor),
        ("empty page in the site layout", "/bench/layout/", None, visitor),
        ("/results/", "/results/", 5, visitor),
        ("/results/?sold_as=down", "/results/?sold_as=down", 5, visitor),
        ("/results/?found=xylazine", "/results/?found=xylazine", 5, visitor),
        ("/results/?region=Eastside&since=…", f"/results/?region=Eastside&since={since}", 5, visitor),
        ("/results/?found=caffeine (a common substance)", "/results/?found=caffeine", 5, visitor),
        ("/results/?since=…&until=… (a month)", f"/results/?since={since}&until={until}", 5, visitor),
        ("/results/, page 500", "/results/?page=500", 5, visitor),
        ("a result's page", f"/results/{some}/", 5, visitor),
        ("/feeds/results.atom", "/feeds/results.atom", 5, visitor),
        ("/feeds/results.json", "/feeds/results.json", 5, visitor),
        ("/feeds/alerts.atom", "/feeds/alerts.atom", 5, visitor),
        ("/feeds/alerts.json", "/feeds/alerts.json", 5, visitor),
        ("/feeds/alerts/downtown.atom", "/feeds/alerts/downtown.atom", 5, visitor),
        ("/feeds/alerts/downtown.json", "/feeds/alerts/downtown.json", 5, visitor),
        ("member: /results/", "/results/", 5, False),
    ]
    pages.print_table("Over HTTP (uvicorn, production settings)", listed, pages.over_http_medians(reader, listed))
    pages.print_table("In process (Django's test client, development settings)", listed, pages.in_process_medians(reader, listed))
    print("\nNothing kept (cache emptied before each request), in process, median of 7:\n")
    for label, ms in cold_pages_ms(listed).items():
        print(f"- {label}: {ms:.1f} ms")
    print("\nThe charts' numbers, cold (nothing cached), median of 7:\n")
    for label, ms in cold_charts_ms().items():
        print(f"- {label}: {ms:.1f} ms")


if __name__ == "__main__":
    main()
