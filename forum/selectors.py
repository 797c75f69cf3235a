"""Reads for the forum, already joined so a template never queries per row."""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import escape
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from commons import sql
from commons.when import month_names, time_ago, when_text
from forum import sqlite_search
from forum.models import (
    Board, Bookmark, PendingEdit, Post, PostRevision, Reaction, Subscription, Thread, ThreadRead, thread_slug,
)
from forum.permissions import posts_visible_q, visible_q
from moderation.models import ModerationStatus

SEARCH_QUERY_MAX_LENGTH = 200
SNIPPET_RADIUS = 110
SEARCH_CANDIDATES = 1000
# Private-use characters mark the hits in PostgreSQL's headline; the text is escaped, then they become <mark>.
_MARK_START, _MARK_STOP = "\ue000", "\ue001"


def _signed_in(peer) -> bool:
    return bool(peer and peer.is_authenticated)


def boards_visible_to(*, peer) -> QuerySet[Board]:
    boards = Board.objects.all()
    if not _signed_in(peer):
        boards = boards.filter(visibility=Board.Visibility.PUBLIC)
    return boards


def board_get(*, slug: str) -> Board:
    return Board.objects.get(slug=slug)


@dataclass(slots=True)
class ReactionCount:
    """One kind of reaction under a post, as the thread page prints it. An object, not a dict: Jinja2
    looks an attribute up before an item, so on a dict each of ~500 lookups a page failed first."""

    kind: str
    label: str
    count: str
    givers: str  # their pseudonyms, oldest first
    mine: bool


class PagedRows:
    """A list of `total` rows for a Paginator that reads only the page asked for: its length is a count
    stored beforehand, and a slice calls `load(start, stop)`."""

    def __init__(self, *, total: int, load):
        self.total, self.load = total, load

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        if not isinstance(window, slice):
            raise TypeError("PagedRows only gives pages: slice it, as a Paginator does")
        start, stop, _ = window.indices(self.total)
        return self.load(start, stop) if stop > start else []


def _window(start: int, stop: int, total: int) -> tuple[bool, int, int]:
    """(from the end?, LIMIT, OFFSET) for rows start..stop-1 of `total`: past the middle, a page is read
    in reverse order from the end, so the index scan skips the fewer rows (the last page of a 5,000-post
    thread: none instead of 4,980)."""
    if start > total - stop:
        return True, stop - start, total - stop
    return False, stop - start, start


@dataclass(eq=False)
class BoardRow:
    """A thread as its board's page lists it."""

    id: int
    title: str
    pinned: bool
    locked: bool
    reply_count: int
    last_activity: datetime
    author_name: str | None  # None: a former member
    url: str
    replies_text: str
    active_text: str
    status_text: str  # "" when public


_BOARD_ORDER = ("-pinned", "-last_activity", "-id")
_BOARD_ORDER_FROM_END = ("pinned", "last_activity", "id")
_APPROVED = ModerationStatus.APPROVED
_NOT_PUBLIC = f"NOT ({{table}}.moderation_status = '{_APPROVED.value}')"  # a literal, for SQLite's partial indexes


def _board_not_public_count(board: Board, peer) -> int:
    """How many threads of `board` `peer` sees beyond the public ones: none for a visitor; their own held or
    removed ones for a member, every one for a moderator. SQL, to write the status as a literal: a parameter
    would keep SQLite off the partial index thread_board_unapproved and count the whole board."""
    if not _signed_in(peer):
        return 0
    visible, params = sql.where_sql(Thread, visible_q(peer))
    return sql.fetch_all(
        f"SELECT COUNT(*) FROM forum_thread WHERE forum_thread.board_id = %s AND {_NOT_PUBLIC.format(table='forum_thread')}"
        f" AND {visible}", [board.pk, *params],
    )[0][0]


def board_threads(*, board: Board, peer) -> PagedRows:
    """The threads of a board `peer` may read, for its Paginator, pinned first, then newest activity. A page
    is one query (the ids from the thread_board_order index, then the rows with their authors) of
    `BoardRow`s with their URLs and texts; the length is the board's stored `thread_count` (its public
    threads) plus those the reader sees beyond them (forum.permissions.visible_q)."""
    total = board.thread_count + _board_not_public_count(board, peer)
    visible = Thread.objects.filter(visible_q(peer), board=board)

    def load(start: int, stop: int) -> list[BoardRow]:
        from_end, limit, offset = _window(start, stop, total)
        ids = visible.order_by(*(_BOARD_ORDER_FROM_END if from_end else _BOARD_ORDER)).values("id")[offset : offset + limit]
        rows = (
            Thread.objects.filter(id__in=ids).order_by(*_BOARD_ORDER)
            .values_list("id", "title", "pinned", "locked", "reply_count", "last_activity", "author__username", "moderation_status")
        )
        url, now, language = _url_pattern("forum:thread_slug", 2), timezone.now(), get_language()
        status_texts = {status: gettext(text) for status, text in _STATUS_TEXT.items()}
        replies: dict[int, str] = {}  # "3 replies", worked out once per count on the page
        return [
            BoardRow(
                id=thread_id, title=title, pinned=pinned, locked=locked, reply_count=reply_count, last_activity=last_activity,
                author_name=author_name, url=url.format(thread_id, thread_slug(title)), status_text=status_texts.get(status, ""),
                replies_text=replies.get(reply_count) or replies.setdefault(reply_count, _replies_text(reply_count)),
                active_text=time_ago(last_activity, now, language),
            )
            for thread_id, title, pinned, locked, reply_count, last_activity, author_name, status in rows
        ]

    return PagedRows(total=total, load=load)


# What the author and moderators see beside a thread or post that the public does not.
def _replies_text(count: int) -> str:
    return ngettext("%(count)d reply", "%(count)d replies", count) % {"count": count}


_STATUS_TEXT = {ModerationStatus.PENDING: gettext_noop("waiting for a moderator"), ModerationStatus.REJECTED: gettext_noop("removed by a moderator")}
# The words under a post for each kind of reaction (forum.models.Reaction.Kind).
REACTION_LABELS = {Reaction.Kind.HELPFUL: gettext_noop("Helpful"), Reaction.Kind.SUPPORT: gettext_noop("Support")}


def thread_get(*, thread_id: int, peer) -> Thread:
    """The thread with its board, if `peer` may see it (forum.permissions.visible_q; the board's own rule
    is the caller's to check, with its readable refusal); Thread.DoesNotExist otherwise."""
    return Thread.objects.select_related("board").filter(visible_q(peer)).get(pk=thread_id)


# The thread page's reads (thread_for_reader, _page_posts) are SQL written by hand (commons.sql), with datetimes
# read as seconds since 1970: through the ORM the member's thread page took 12.8 ms over HTTP on SQLite, 5.4×
# the trivial view against a goal of 5× (docs/performance.md, "Forum pages", 29 Nov 2026); this way 3.4×.
# Who sees what still comes from the one rule, forum.permissions.visible_q, compiled by commons.sql.where_sql.


def thread_for_reader(*, thread_id: int, peer) -> Thread:
    """`thread_get` with, in the same query, the reader's state: `read_position` (the last post read; None
    if none or a visitor), `subscribed`, and `visible_post_count`: the approved posts (counted on the
    thread) plus the held or removed ones the reader may see. Thread.DoesNotExist if the reader may not
    see the thread (visible_q)."""
    thread_visible, thread_params = sql.where_sql(Thread, visible_q(peer))
    reader_id = peer.pk if _signed_in(peer) else None
    extra, extra_params = "0", []
    if _signed_in(peer):
        post_visible, extra_params = sql.where_sql(Post, visible_q(peer))
        extra = (f"(SELECT COUNT(*) FROM forum_post WHERE forum_post.thread_id = forum_thread.id"
                 f" AND {_NOT_PUBLIC.format(table='forum_post')} AND {post_visible})")
    rows = sql.fetch_all(
        f"SELECT {sql.columns(Thread, 'forum_thread')}, {sql.columns(Board, 'b')},"
        " (SELECT r.last_read_post_id FROM forum_threadread r WHERE r.thread_id = forum_thread.id AND r.peer_id = %s),"
        " EXISTS(SELECT 1 FROM forum_subscription s WHERE s.thread_id = forum_thread.id AND s.peer_id = %s),"
        f" {extra}"
        f" FROM forum_thread JOIN forum_board b ON b.id = forum_thread.board_id WHERE forum_thread.id = %s AND {thread_visible}",
        [reader_id, reader_id, *extra_params, thread_id, *thread_params],
    )
    if not rows:
        raise Thread.DoesNotExist
    row, thread_width = rows[0], len(Thread._meta.concrete_fields)
    board_end = thread_width + len(Board._meta.concrete_fields)
    thread = sql.instance_from_row(Thread, row[:thread_width])
    thread.board = sql.instance_from_row(Board, row[thread_width:board_end])
    read_position, subscribed, extra_count = row[board_end:]
    thread.read_position, thread.subscribed = read_position, bool(subscribed)
    thread.visible_post_count = thread.approved_post_count + extra_count
    return thread


def post_get(*, post_id: int) -> Post:
    return Post.objects.select_related("thread__board", "author").get(pk=post_id)


@dataclass(eq=False)
class PagePost:
    """A post as the thread page shows it: read by `thread_posts`, then given what the reader may do and
    the URLs by `posts_decorate`."""

    id: int
    author_id: int | None
    author_name: str | None  # None: a former member
    created: datetime
    is_edited: bool
    is_deleted: bool
    moderation_status: str
    content_warning: str
    body_html: str
    mentions_overdose: bool
    bookmarked: bool
    edit_waiting: bool  # a held edit waits for a moderator (shown to its author and moderators)
    reaction_rows: list = field(default_factory=list)  # (kind, giver id, giver pseudonym), oldest first

    @property
    def is_pending(self) -> bool:
        return self.moderation_status == ModerationStatus.PENDING


_PAGE_POSTS_SQL = (
    "SELECT p.id, p.author_id, a.username, {created}, p.edited_at IS NOT NULL, p.deleted_at IS NOT NULL,"
    " p.moderation_status, p.content_warning, p.body_html, p.mentions_overdose, {bookmarked}, {edit_waiting}, {reactions}"
    " FROM forum_post p LEFT JOIN peers_peer a ON a.id = p.author_id"
    " WHERE p.id IN (SELECT forum_post.id FROM forum_post WHERE forum_post.thread_id = %s AND {visible}"
    " ORDER BY forum_post.id {direction} LIMIT %s OFFSET %s)"
    " ORDER BY p.id"
)
# Each post's reactions as a JSON list of [kind, giver id, giver pseudonym], oldest first: in the same
# query, which saves PostgreSQL a round trip per page. On SQLite the order is that of the subquery, which
# SQLite keeps in practice without promising it (ORDER BY inside an aggregate needs SQLite 3.44); it
# only orders the givers' names in a tooltip.
_REACTIONS_JSON = {
    "postgresql": (
        "(SELECT json_agg(json_build_array(r.kind, r.peer_id, g.username) ORDER BY r.id)::text"
        " FROM forum_reaction r JOIN peers_peer g ON g.id = r.peer_id WHERE r.post_id = p.id)"
    ),
    "sqlite": (
        "(SELECT json_group_array(json_array(x.kind, x.peer_id, x.username)) FROM (SELECT r.kind, r.peer_id, g.username"
        " FROM forum_reaction r JOIN peers_peer g ON g.id = r.peer_id WHERE r.post_id = p.id ORDER BY r.id) x)"
    ),
}


def _page_posts(*, thread: Thread, peer, start: int, stop: int) -> list[PagePost]:
    """Posts start..stop-1 of the ones the reader sees, with their reactions, whether the reader bookmarked
    each and whether an edit of it waits for a moderator: one query."""
    visible, visible_params = sql.where_sql(Post, visible_q(peer))
    from_end, limit, offset = _window(start, stop, thread.visible_post_count)
    if _signed_in(peer):
        bookmarked, bookmark_params = "EXISTS(SELECT 1 FROM forum_bookmark k WHERE k.post_id = p.id AND k.peer_id = %s)", [peer.pk]
        edit_waiting = "EXISTS(SELECT 1 FROM forum_pendingedit e WHERE e.post_id = p.id)"
    else:
        bookmarked, bookmark_params, edit_waiting = "0", [], "0"
    rows = sql.fetch_all(
        _PAGE_POSTS_SQL.format(
            created=sql.epoch("p.created"), bookmarked=bookmarked, edit_waiting=edit_waiting,
            reactions=_REACTIONS_JSON[connection.vendor], visible=visible, direction="DESC" if from_end else "ASC",
        ),
        [*bookmark_params, thread.id, *visible_params, limit, offset],
    )
    return [
        PagePost(
            id=post_id, author_id=author_id, author_name=author_name, created=sql.from_epoch(created),
            is_edited=bool(edited), is_deleted=bool(deleted), moderation_status=status, content_warning=content_warning,
            body_html=body_html, mentions_overdose=bool(mentions_overdose), bookmarked=bool(bookmarked_flag),
            edit_waiting=bool(edit_waiting_flag), reaction_rows=[tuple(row) for row in json.loads(reactions or "[]")],
        )
        for post_id, author_id, author_name, created, edited, deleted, status, content_warning, body_html,
        mentions_overdose, bookmarked_flag, edit_waiting_flag, reactions in rows
    ]


def thread_posts(*, thread: Thread, peer) -> PagedRows:
    """Every post of a thread the reader may see, oldest first (deleted ones stay as placeholders), for the
    thread page's Paginator: `thread` comes from `thread_for_reader`, whose `visible_post_count` is the
    length; a page is one query."""
    return PagedRows(total=thread.visible_post_count, load=lambda start, stop: _page_posts(thread=thread, peer=peer, start=start, stop=stop))


def _url_pattern(name: str, arguments: int = 1) -> str:
    """The URL named `name` with "{0}", "{1}"... for its arguments, for str.format per row: one reverse()
    per page instead of one per row (~30 µs each)."""
    placeholders = [999_999_001 + n for n in range(arguments)]
    url = reverse(name, args=placeholders)
    for n, placeholder in enumerate(placeholders):
        url = url.replace(str(placeholder), "{%d}" % n)
    return url


def posts_decorate(posts: list[PagePost], *, peer, thread: Thread, next_path: str = "") -> list[PagePost]:
    """Attach reaction counts, givers, the reader's own reactions, what the reader may do and the action
    URLs (no query; the template then only prints). `posts` are a page of `thread_posts`."""
    signed_in = _signed_in(peer)
    peer_id = peer.pk if signed_in else None
    is_moderator = signed_in and peer.is_moderator
    # The report link of moderation/_report_link.html, built once here: {% url %} per post cost ~0.1 ms each.
    report_url = f"{reverse('moderation:report')}?target=post:{{}}&next={quote(next_path, safe='')}"
    post_url = _url_pattern("forum:post")
    withdraw_url = _url_pattern("forum:post_edit_withdraw")
    profile_url = _url_pattern("peers:profile")
    author_urls: dict[str, str] = {}  # a page often shows the same few people
    quote_url = f"{reverse('forum:reply', args=[thread.id])}?quote={{}}"
    # The reactions' words, the month names and the notes in the reader's language, once per page.
    kinds = [(kind, gettext(REACTION_LABELS.get(kind, label))) for kind, label in Reaction.Kind.choices]
    months = month_names()
    own_edit_waiting = gettext("Your edit is waiting for a moderator; everyone else sees the version above.")
    edit_in_queue = gettext("An edit of this post waits in the queue.")
    # The reader's time zone once per page: under ASGI each lookup goes through a context variable.
    zone = timezone.get_current_timezone()
    for post in posts:
        givers = {kind: [] for kind, _ in kinds}
        mine = set()
        for kind, giver_id, username in post.reaction_rows:
            givers[kind].append(username)
            if giver_id == peer_id:
                mine.add(kind)
        # Strings, not ints or datetimes: the template engine localises every number and date it prints,
        # which was a third of the thread page's rendering time.
        post.reaction_summary = [
            ReactionCount(kind=kind, label=label, count=str(len(givers[kind])), givers=", ".join(givers[kind]), mine=kind in mine)
            for kind, label in kinds
        ]
        post.pid = str(post.id)
        post.created_text = when_text(post.created, zone, months)
        approved = post.moderation_status == ModerationStatus.APPROVED
        own = signed_in and post.author_id == peer_id
        post.can_react = signed_in and approved and not own and not post.is_deleted
        post.can_quote = signed_in and approved and not thread.locked and not post.is_deleted
        post.can_change = own and not post.is_deleted and post.moderation_status != ModerationStatus.REJECTED
        post.can_see_history = post.is_edited and not post.is_deleted and (own or is_moderator)
        post.edit_waiting_text = (own_edit_waiting if own else edit_in_queue if is_moderator else "") if post.edit_waiting else ""
        post.withdraw_url = withdraw_url.format(post.id)
        if post.author_name and post.author_name not in author_urls:
            author_urls[post.author_name] = profile_url.format(quote(post.author_name, safe=""))
        post.author_url = author_urls.get(post.author_name, "")
        post.url = post_url.format(post.id)
        post.quote_url = quote_url.format(post.id)
        post.report_url = report_url.format(post.id)
    return posts


def post_page_number(*, post: Post, peer, per_page: int) -> int:
    before = Post.objects.filter(visible_q(peer), thread_id=post.thread_id, id__lt=post.id).count()
    return before // per_page + 1


def thread_read_position(*, thread: Thread, peer) -> int:
    if not _signed_in(peer):
        return 0
    return ThreadRead.objects.filter(thread=thread, peer=peer).values_list("last_read_post_id", flat=True).first() or 0


def first_unread_post(*, thread: Thread, peer) -> Post | None:
    """The first post after the reader's position, or the last post when everything is read."""
    posts = Post.objects.filter(visible_q(peer), thread=thread)
    position = thread_read_position(thread=thread, peer=peer)
    return posts.filter(id__gt=position).order_by("id").first() or posts.order_by("-id").first()


def post_revisions(*, post: Post) -> QuerySet[PostRevision]:
    return post.revisions.all()


def bookmarks_of(*, peer) -> QuerySet[Bookmark]:
    return (
        Bookmark.objects.filter(peer=peer, post__in=Post.objects.filter(posts_visible_q(peer)))
        .select_related("post__thread__board", "post__author")
        .order_by("-created", "-id")
    )


def is_first_post(*, post: Post) -> bool:
    return not Post.objects.filter(thread_id=post.thread_id, id__lt=post.id).exists()


def pending_edit_of(*, post: Post) -> PendingEdit | None:
    return PendingEdit.objects.filter(post=post).first()


def posts_written_by(*, peer) -> QuerySet[Post]:
    return Post.objects.filter(author=peer).select_related("thread").order_by("id")


# --- search ----------------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    return [term for term in " ".join((query or "").split())[:SEARCH_QUERY_MAX_LENGTH].split(" ") if term]


def search_result_ids(*, query: str, peer) -> list[int]:
    """Ids of the posts matching `query` that the reader may see (forum.permissions.posts_visible_q: the
    public ones, and for their author or a moderator the held and removed ones), best match first.

    One query, at most SEARCH_CANDIDATES ids: paginate this list, then load a page with
    `search_results_for_page` (joining threads, boards and authors for 20 rows, not for every match).
    PostgreSQL: full-text search on the GIN-indexed `search_vector`; the SEARCH_CANDIDATES most recent
    matches are ranked, so a very common word costs no more than a rarer one.
    SQLite: the FTS5 index of forum.sqlite_search; every word (or a form of it) must be in the post (or in
    its thread's title, for the first post); the SEARCH_CANDIDATES most recent matches, newest first.
    """
    terms = search_terms(query)
    posts = Post.objects.filter(posts_visible_q(peer), deleted_at__isnull=True)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        search_query = _search_query(terms)
        ranked = (
            posts.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-id")
            .values_list("id", "rank")[:SEARCH_CANDIDATES]
        )
        return [post_id for post_id, _ in sorted(ranked, key=lambda row: (-row[1], -row[0]))]
    match = sqlite_search.match_expression(terms)
    if not match:
        return []
    candidates = RawSQL(sqlite_search.CANDIDATES_SQL, (match, SEARCH_CANDIDATES))
    return list(posts.filter(id__in=candidates).order_by("-id").values_list("id", flat=True))


def search_results_for_page(ids: list[int]) -> list[Post]:
    """The posts with these ids, in this order, with thread, board and author."""
    posts = Post.objects.filter(id__in=ids).select_related("thread__board", "author").defer("search_vector", "body_html")
    by_id = {post.id: post for post in posts}
    return [by_id[i] for i in ids if i in by_id]


def _search_query(terms: list[str]) -> SearchQuery:
    return SearchQuery(" ".join(terms), search_type="websearch", config=settings.FORUM_SEARCH_CONFIG)


def search_headlines(posts: list[Post], query: str) -> list[Post]:
    """Give each post on the page `snippet_html`: an escaped excerpt with the matches in <mark>."""
    terms = search_terms(query)
    headlines: dict[int, str] = {}
    if connection.vendor == "postgresql" and posts and terms:
        headlines = dict(
            Post.objects.filter(id__in=[post.id for post in posts])
            .annotate(
                headline=SearchHeadline(
                    "body", _search_query(terms), config=settings.FORUM_SEARCH_CONFIG, start_sel=_MARK_START,
                    stop_sel=_MARK_STOP, max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … ",
                )
            )
            .values_list("id", "headline")
        )
    for post in posts:
        raw = headlines.get(post.id) or _snippet_from_text(post.body, terms)
        post.snippet_html = _marked(raw)
    return posts


def _snippet_from_text(body: str, terms: list[str]) -> str:
    lowered = body.lower()
    hits = [lowered.find(term.lower()) for term in terms]
    hits = [hit for hit in hits if hit >= 0]
    start = max(min(hits) - SNIPPET_RADIUS, 0) if hits else 0
    end = min(start + 2 * SNIPPET_RADIUS + 40, len(body))
    text = ("… " if start else "") + body[start:end] + (" …" if end < len(body) else "")
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda match: f"{_MARK_START}{match.group(0)}{_MARK_STOP}", text)


def _marked(raw: str) -> SafeString:
    html = escape(raw).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added


def search_snippet_html(post: Post, query: str) -> SafeString:
    """The fallback excerpt (any database) for one post."""
    return _marked(_snippet_from_text(post.body, search_terms(query)))


def post_in_thread(*, thread: Thread, post_id: int) -> bool:
    return Post.objects.filter(pk=post_id, thread_id=thread.pk).exists()


def authors_with_approved_posts(*, at_least: int):
    """The ids of everyone with at least `at_least` approved posts (voice: who may vote), as a subquery."""
    approved = Post.objects.approved().filter(author__isnull=False).values("author")
    if at_least <= 0:
        return approved.distinct()
    return approved.annotate(approved_posts=Count("id")).filter(approved_posts__gte=at_least).values("author")
