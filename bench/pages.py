"""Forum page timings at 10,000 threads and 100,000 posts, as ratios to a trivial Django view.

    .venv/bin/python bench/pages.py                 # SQLite in a throw-away folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hrc_forum_bench .venv/bin/python bench/pages.py

Every page is requested over HTTP from uvicorn running the production settings (what a person's
browser waits for, minus the network), then again in process with Django's test client (development
settings, no server), as a signed-in member (the costlier case: reactions, bookmarks, reading position)
and, for three pages, as a visitor. The data is bulk-loaded, bypassing the services for speed; the
search vectors use the same expression as forum.services (SQLite's FTS5 index fills itself by trigger).
Prints the median of REPEAT requests per page and its ratio to the trivial view's median, in English and in
Spanish (Accept-Language) in the same run: BENCH_LANGUAGES=en,es (the default).
"""

import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):  # BENCH_VAR_DIR: keep the SQLite data in that folder and reuse it next run
    os.environ["DJANGO_VAR_DIR"] = os.environ.get("BENCH_VAR_DIR") or tempfile.mkdtemp(prefix="forum-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches  # noqa: E402

THREADS = int(os.environ.get("BENCH_THREADS", "10000"))
POSTS = int(os.environ.get("BENCH_POSTS", "100000"))
LONG_THREAD_POSTS = int(os.environ.get("BENCH_LONG_THREAD_POSTS", "5000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
# Every page is measured in each of these languages (Accept-Language), in the same run and the same round-robin, so
# that English and Spanish meet the same load (issue 17: translation on costs time on every page). Each language's
# ratios are to its own trivial view. BENCH_LANGUAGES=es measures Spanish only (BENCH_LANGUAGE, the old name, too).
LANGUAGES = os.environ.get("BENCH_LANGUAGES", os.environ.get("BENCH_LANGUAGE", "en,es")).split(",")
WORDS = (
    "naloxone fentanyl strips testing dose tolerance support friend evening room harm reduction safer "
    "kit pharmacy outreach worker clinic wound care sleep food water breathe rest talk listen share "
    "week morning night hope tired okay better worse carry pocket expiry check batch sample dilute"
).split()


def _urlconf():
    settings.ROOT_URLCONF = "bench.pages_urls"
    clear_url_caches()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def load() -> tuple:
    from commons.markup import render_markdown
    from forum import services as forum_services
    from forum.models import Board, Post, Reaction, Thread
    from peers import services as peer_services
    from peers.models import Peer

    rng = random.Random(7)
    call_command("migrate", verbosity=0)
    existing = Board.objects.filter(slug="bench").first()
    if existing is not None:  # a PostgreSQL bench database from an earlier run: reuse it
        print(f"reusing {Thread.objects.count():,} threads, {Post.objects.count():,} posts on {connection.vendor}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        first = Thread.objects.filter(board=existing).order_by("id").first()
        return existing, first, Peer.objects.get(username="bench-reader")
    board = Board.objects.create(slug="bench", title="Bench board", description="10,000 threads")
    peers = Peer.objects.bulk_create([Peer(username=f"bench{n}", password="!") for n in range(200)])
    reader = Peer.objects.create_user(username="bench-reader", password="bench-reader-pass-1")
    peer_services.peer_onboard(peer=reader)

    bodies = []
    for _ in range(300):
        body = "\n\n".join(_sentence(rng, rng.randint(8, 40)) for _ in range(rng.randint(1, 4)))
        bodies.append((body, render_markdown(body)))
    bodies.append(("The rare word zanzibarite appears once in a while.", render_markdown("The rare word zanzibarite appears once in a while.")))

    started = time.perf_counter()
    threads = Thread.objects.bulk_create(
        [Thread(board=board, title=_sentence(rng, 5)[:-1], author=rng.choice(peers), reply_count=0) for _ in range(THREADS)],
        batch_size=2000,
    )
    long_thread, others = threads[0], threads[1:]
    plan = [long_thread] * LONG_THREAD_POSTS + list(others)  # every thread has a first post
    plan += [rng.choice(others) for _ in range(POSTS - len(plan))]
    rng.shuffle(plan)
    batch = []
    for n, thread in enumerate(plan):
        body, html = bodies[-1] if n % 5000 == 0 else rng.choice(bodies[:-1])
        batch.append(Post(thread=thread, author=rng.choice(peers), body=body, body_html=html))
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    long_posts = list(Post.objects.filter(thread=long_thread).values_list("id", flat=True))
    Reaction.objects.bulk_create(
        [Reaction(post_id=pid, peer=peers[k], kind=kind) for pid in long_posts for k, kind in ((1, "helpful"), (2, "support"))],
        batch_size=5000,
    )
    forum_services.counters_recount_all()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            config = settings.FORUM_SEARCH_CONFIG
            cursor.execute(f"UPDATE forum_post SET search_vector = setweight(to_tsvector('{config}', body), 'B')")
            cursor.execute(
                f"UPDATE forum_post p SET search_vector = setweight(to_tsvector('{config}', t.title), 'A') || p.search_vector"
                " FROM forum_thread t WHERE t.id = p.thread_id AND p.id = (SELECT MIN(id) FROM forum_post q WHERE q.thread_id = t.id)"
            )
            cursor.execute("VACUUM ANALYZE")  # index-only scans need the visibility map
        else:
            cursor.execute("ANALYZE")
    loaded = time.perf_counter() - started
    print(f"loaded {Thread.objects.count():,} threads, {Post.objects.count():,} posts in {loaded:.1f}s on {connection.vendor}")
    return board, long_thread, reader


def _round_robin(requests: list) -> list[float]:
    """Median ms per request (each a function returning the status and the language it was answered in);
    round-robin, so load from elsewhere on the machine hits every page alike."""
    for request in requests:
        for _ in range(3):
            status, language = request.call()
            assert status == 200, (request.url, status)
            assert language == request.language, (request.url, "answered in", language, "asked", request.language)
    times: list[list[float]] = [[] for _ in requests]
    for _ in range(REPEAT):
        for n, request in enumerate(requests):
            started = time.perf_counter()
            request.call()
            times[n].append(time.perf_counter() - started)
    return [statistics.median(samples) * 1000 for samples in times]


class _Request:
    def __init__(self, url: str, language: str, call):
        self.url, self.language, self.call = url, language, call


def _by_language(pages: list, make_call) -> tuple[list, callable]:
    """One request per page per language, and a function that splits the medians back per language."""
    requests = [_Request(url, language, make_call(url, language, as_visitor)) for language in LANGUAGES for _, url, _, as_visitor in pages]
    return requests, lambda medians: {language: medians[n * len(pages):(n + 1) * len(pages)] for n, language in enumerate(LANGUAGES)}


def in_process_medians(reader, pages: list) -> dict[str, list[float]]:
    """Django's test client: the handler and middleware only, no server, no HTTP."""
    member, visitor = Client(), Client()
    member.force_login(reader)

    def make_call(url, language, as_visitor):
        client = visitor if as_visitor else member

        def call():
            response = client.get(url, headers={"accept-language": language})
            return response.status_code, response.headers.get("Content-Language")
        return call

    requests, split = _by_language(pages, make_call)
    return split(_round_robin(requests))


def over_http_medians(reader, pages: list) -> dict[str, list[float]]:
    """uvicorn with the production settings (DEBUG off; database connections pooled on PostgreSQL), one keep-alive
    connection from this process: what a person's browser waits for, minus the network."""
    from tests.rooms import live_servers

    env = live_servers.base_env(
        DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SSL_REDIRECT="0",
        DJANGO_VAR_DIR=os.environ.get("DJANGO_VAR_DIR"), DATABASE_URL=os.environ.get("DATABASE_URL"),
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = live_servers.free_port()
    server = live_servers.start_server(env, port, app="bench.pages_server:application")
    member = _Browser(port, {settings.SESSION_COOKIE_NAME: live_servers.signed_in_session(reader)})
    visitor = _Browser(port, {})
    try:
        def make_call(url, language, as_visitor):
            browser = visitor if as_visitor else member
            return lambda: browser.get(url, language)

        requests, split = _by_language(pages, make_call)
        return split(_round_robin(requests))
    finally:
        member.close()
        visitor.close()
        live_servers.stop_server(server)


class _Browser:
    """One keep-alive connection that sends back the cookies it was given (the CSRF cookie, say)."""

    def __init__(self, port: int, cookies: dict):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = cookies

    def get(self, url: str, language: str) -> tuple[int, str | None]:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": language}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.connection.request("GET", url, headers=headers)
        response = self.connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Content-Language")

    def close(self) -> None:
        self.connection.close()


def print_table(title: str, pages: list, medians: dict[str, list[float]]) -> None:
    """One row per page; per language its median and its ratio to that language's trivial view (and, beyond the
    first language, how much slower than the first the page is)."""
    first = LANGUAGES[0]
    print(f"\n{title}: {REPEAT} rounds, median per page\n")
    head = " | ".join(f"{language} ms | {language} ÷ trivial" + (f" | {language} ÷ {first}" if language != first else "") for language in LANGUAGES)
    print(f"| page | {head} | goal |\n|---|" + "---:|" * sum(3 if language != first else 2 for language in LANGUAGES) + "---:|")
    for n, (label, _, goal, _) in enumerate(pages):
        cells = []
        for language in LANGUAGES:
            ms, bare = medians[language][n], medians[language][0]
            cells.append(f"{ms:.1f} | {ms / bare:.1f}×" + (f" | {ms / medians[first][n]:.2f}" if language != first else ""))
        goal_text = f"≤ {goal}×" if goal else ""
        print(f"| {label} | {' | '.join(cells)} | {goal_text} |")


def main() -> None:
    _urlconf()
    board, long_thread, reader = load()
    last_page = (LONG_THREAD_POSTS + 29) // 30
    member, visitor = False, True
    pages = [
        # The baseline is the trivial view as a visitor: since issue 17 a member's every request reads the account (its
        # language and time zone, commons.languages and commons.zones), the trivial view's too, which would raise the
        # baseline of every member's page. Signed in, it is shown for what that read costs.
        ("trivial view", "/bench/trivial/", None, visitor),
        ("trivial view, signed in", "/bench/trivial/", None, member),
        ("empty page in the site layout", "/bench/layout/", None, member),
        ("board, page 1", f"/b/{board.slug}/", 5, member),
        ("board, page 200", f"/b/{board.slug}/?page=200", 5, member),
        ("long thread, page 1", f"{long_thread.get_absolute_url()}", 5, member),
        (f"long thread, last page ({last_page})", f"{long_thread.get_absolute_url()}?page={last_page}", 5, member),
        ("search, common word", "/search/?q=naloxone", 10, member),
        ("search, rare word", "/search/?q=zanzibarite", 10, member),
        ("search, two words", "/search/?q=wound+care", 10, member),
        ("visitor (not signed in): board, page 1", f"/b/{board.slug}/", 5, visitor),
        ("visitor: long thread, page 1", f"{long_thread.get_absolute_url()}", 5, visitor),
        ("visitor: search, common word", "/search/?q=naloxone", 10, visitor),
    ]
    print_table("Over HTTP (uvicorn, production settings)", pages, over_http_medians(reader, pages))
    print_table("In process (Django's test client, development settings)", pages, in_process_medians(reader, pages))


if __name__ == "__main__":
    main()
