"""Search: PostgreSQL full text when available, a working fallback on SQLite; no leaks."""

import pytest
from django.db import connection
from django.test import Client

from forum import selectors, services
from moderation.models import ModerationStatus

on_postgres = connection.vendor == "postgresql"


@pytest.fixture
def corpus(peer, other_peer, board, members_board, thread_factory, reply_factory):
    public = thread_factory(author=peer, title="Naloxone kits", body="Keep naloxone somewhere you can reach it.")
    reply_factory(thread=public, author=other_peer, body="I keep two naloxone doses in my bag <script>alert(1)</script>.")
    thread_factory(author=peer, title="Private worries", body="Naloxone expired, feeling low.", in_board=members_board)
    return public


def _found(response) -> str:
    return response.content.decode()


def test_search_finds_posts_and_highlights_the_match(client, corpus):
    page = _found(client.get("/search/", {"q": "naloxone"}))
    assert "2 results" in page
    assert "<mark>" in page and "naloxone</mark>".lower() in page.lower()
    assert "<script>alert(1)" not in page  # the snippet comes from the source, escaped


def test_members_only_boards_never_reach_visitors(client, corpus, peer):
    assert "Private worries" not in _found(Client().get("/search/", {"q": "naloxone"}))
    assert "Private worries" not in _found(Client().get("/search/", {"q": "expired"}))
    member = Client()
    member.force_login(peer)
    assert "Private worries" in _found(member.get("/search/", {"q": "expired"}))


def test_held_removed_and_deleted_posts_are_not_found(client, corpus, peer, moderator):
    post = corpus.posts.order_by("id").first()
    services.post_moderate(post=post, status=ModerationStatus.REJECTED, by=moderator, reason="test")
    reply = corpus.posts.order_by("id").last()
    services.post_delete(post=reply, by=reply.author)
    assert "0 results" in _found(client.get("/search/", {"q": "naloxone"}))


def test_title_words_are_found(client, corpus):
    assert "Naloxone kits" in _found(client.get("/search/", {"q": "kits"}))


def test_empty_and_odd_queries_do_not_fail(client, corpus):
    assert client.get("/search/").status_code == 200
    for query in ["", "   ", "!!!", "'", '"', "a & | ! b", "x" * 500, "naloxone OR", "-naloxone", "<script>"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query


def test_search_results_paginate_and_keep_the_query(client, peer, board, thread_factory, settings):
    for n in range(21):
        thread_factory(author=peer, title=f"Fentanyl strips {n}", body="fentanyl strips work")
    page = _found(client.get("/search/", {"q": "fentanyl"}))
    assert "?q=fentanyl&amp;page=2" in page


@pytest.mark.skipif(not on_postgres, reason="ranking and stemming need PostgreSQL")
def test_postgres_ranks_and_stems(client, peer, thread_factory):
    thread_factory(author=peer, title="Something else", body="one mention of testing here")
    thread_factory(author=peer, title="Testing strips", body="testing testing, tested and tests")
    results = selectors.search_results_for_page(selectors.search_result_ids(query="test", peer=None))
    assert [p.thread.title for p in results] == ["Testing strips", "Something else"]


def test_snippet_fallback_escapes_and_marks(peer, thread):
    post = thread.posts.get()
    post.body = "before <b>" + "x" * 300 + " Needle in the text " + "y" * 300
    html = selectors.search_snippet_html(post, "needle")
    assert "<mark>Needle</mark>" in html
    assert "<b>" not in html


on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")


@on_sqlite
def test_sqlite_index_and_its_triggers_exist(db):
    from forum import sqlite_search

    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'forum_%fts%'")
        names = {name for _, name in cursor.fetchall()}
    assert sqlite_search.TABLE in names
    assert set(sqlite_search.TRIGGERS) <= names  # a migration that rebuilt forum_post would have dropped them


@on_sqlite
def test_sqlite_index_follows_edits_redactions_and_titles(client, peer, moderator, thread_factory):
    thread = thread_factory(author=peer, title="Wound care questions", body="My arm has a swollen abscess.")
    post = thread.posts.get()
    assert "1 result" in _found(client.get("/search/", {"q": "abscess"}))
    assert "1 result" in _found(client.get("/search/", {"q": "wound"}))  # the title, with the first post
    assert "1 result" in _found(client.get("/search/", {"q": "abscesses"}))  # other forms of a word
    assert "0 results" in _found(client.get("/search/", {"q": "bscess"}))  # not part of a word
    services.post_edit(post=post, by=peer, body="It is a red patch now, healing.")
    assert "0 results" in _found(client.get("/search/", {"q": "abscess"}))
    assert "1 result" in _found(client.get("/search/", {"q": "healing"}))
    services.post_redact(post=post, body="It is a red patch now.", by=moderator, reason="test")
    assert "0 results" in _found(client.get("/search/", {"q": "healing"}))
    post.delete()
    assert "0 results" in _found(client.get("/search/", {"q": "patch"}))


@on_sqlite
def test_sqlite_query_operators_are_plain_text(client, corpus):
    assert "0 results" in _found(client.get("/search/", {"q": "naloxone NOT kits"}))  # "not" is a word here
    assert "results" in _found(client.get("/search/", {"q": 'naloxone" OR "x'}))
    assert "0 results" in _found(client.get("/search/", {"q": "*"}))
