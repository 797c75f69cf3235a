"""Full-text search on SQLite (the embedded default): an FTS5 index kept by triggers.

PostgreSQL has its own (forum.services stores a tsvector, GIN-indexed). On SQLite the index is a
virtual table `forum_post_fts` (rowid = post id; the thread's title goes with its first post, as on
PostgreSQL) that triggers keep in step with every insert, body change and delete, whoever writes.
Django does not know the table. A migration that changes `forum_post` on SQLite (Django rebuilds the
table) must wrap its operations in `triggers_off()` / `triggers_on()`, as 0008_post_mentions_overdose
does; tests/forum/test_search.py checks the triggers exist after all migrations.
"""

import re

from django.db import migrations

TABLE = "forum_post_fts"
TRIGGERS = ("forum_post_fts_insert", "forum_post_fts_update", "forum_post_fts_delete", "forum_thread_fts_title")

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(body, title, tokenize='porter unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER IF NOT EXISTS forum_post_fts_insert AFTER INSERT ON forum_post BEGIN
        INSERT INTO {TABLE}(rowid, body, title) VALUES (new.id, new.body,
            CASE WHEN EXISTS (SELECT 1 FROM forum_post p WHERE p.thread_id = new.thread_id AND p.id < new.id) THEN ''
                 ELSE (SELECT title FROM forum_thread WHERE id = new.thread_id) END);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS forum_post_fts_update AFTER UPDATE OF body ON forum_post BEGIN
        UPDATE {TABLE} SET body = new.body WHERE rowid = new.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS forum_post_fts_delete AFTER DELETE ON forum_post BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS forum_thread_fts_title AFTER UPDATE OF title ON forum_thread BEGIN
        UPDATE {TABLE} SET title = new.title WHERE rowid = (SELECT MIN(id) FROM forum_post WHERE thread_id = new.id);
    END""",
]
FILL = f"""INSERT INTO {TABLE}(rowid, body, title)
    SELECT p.id, p.body, CASE WHEN p.id = (SELECT MIN(q.id) FROM forum_post q WHERE q.thread_id = p.thread_id)
                              THEN t.title ELSE '' END
    FROM forum_post p JOIN forum_thread t ON t.id = p.thread_id"""
DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS] + [f"DROP TABLE IF EXISTS {TABLE}"]

# The newest `limit` matching post ids: FTS5 walks its index in descending rowid order and stops.
CANDIDATES_SQL = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s"

_WORD = re.compile(r"\w", re.UNICODE)


def match_expression(terms: list[str]) -> str:
    """Every term must appear, as a word or a form of it (the Porter stemmer: "strips" finds "strip",
    as PostgreSQL's English configuration does). The person's text is only ever a quoted string to
    FTS5, so its operators (OR, NOT, -, *, quotes) are plain characters. (Word-prefix queries, "nalox*",
    were 10 times slower on two common words at 100,000 posts.)"""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms if _WORD.search(term)]
    return " ".join(quoted)


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in CREATE:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(FILL)


def triggers_off(connection) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def triggers_on(connection) -> None:
    with connection.cursor() as cursor:
        for statement in CREATE:
            cursor.execute(statement)


def wrap_table_change(operations: list) -> list:
    """Migration operations that change forum_post or forum_thread, with the triggers off around them (SQLite
    only: it rebuilds a table to change it, and a rebuild drops the triggers on it)."""
    def off(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            triggers_off(schema_editor.connection)

    def on(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            triggers_on(schema_editor.connection)

    return [migrations.RunPython(off, on), *operations, migrations.RunPython(on, off)]


def forget(connection, post_ids: list[int]) -> None:
    """Take posts out of the index (an account erased with its words): no row, not even an empty one."""
    for start in range(0, len(post_ids), 500):
        chunk = post_ids[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for statement in DROP:
            cursor.execute(statement)
