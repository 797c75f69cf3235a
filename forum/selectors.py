"""Reads for the forum, already joined so a template never queries per row."""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from commons import sql
from forum import sqlite_search
from forum.models import Board, Bookmark, Post, PostRevision, Reaction, Thread, ThreadRead, thread_slug
from moderation.models import ModerationStatus, unapproved_visible_sql, visible_sql

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
    rows = sql.fetch_all(f"SELECT {sql.columns(Board, 'b')} FROM forum_board b WHERE b.slug = %s", [slug])
    if not rows:
        raise Board.DoesNotExist
    return sql.instance_from_row(Board, rows[0])


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


_BOARD_ORDER = "t.pinned {0}, t.last_activity {0}, t.id {0}"
_BOARD_ROWS_SQL = (
    "SELECT t.id, t.title, t.pinned, t.locked, t.reply_count, {last_activity}, a.username"
    " FROM forum_thread t LEFT JOIN peers_peer a ON a.id = t.author_id"
    " WHERE t.id IN (SELECT t.id FROM forum_thread t WHERE t.board_id = %s ORDER BY {inner} LIMIT %s OFFSET %s)"
    " ORDER BY {outer}"
)


def board_threads(*, board: Board) -> PagedRows:
    """A board's threads for its Paginator, pinned first, then newest activity: each page is one query
    (the thread_board_order index, then the rows with their authors) of `BoardRow`s with their URLs and
    texts; the length is the board's stored `thread_count`."""

    def load(start: int, stop: int) -> list[BoardRow]:
        from_end, limit, offset = _window(start, stop, board.thread_count)
        inner = _BOARD_ORDER.format("ASC" if from_end else "DESC")
        rows = sql.fetch_all(
            _BOARD_ROWS_SQL.format(last_activity=sql.epoch("t.last_activity"), inner=inner, outer=_BOARD_ORDER.format("DESC")),
            [board.id, limit, offset],
        )
        url, now = _url_pattern("forum:thread_slug", 2), timezone.now()
        threads = []
        for thread_id, title, pinned, locked, reply_count, seconds, author_name in rows:
            last_activity = sql.from_epoch(seconds)
            threads.append(BoardRow(
                id=thread_id, title=title, pinned=bool(pinned), locked=bool(locked), reply_count=reply_count,
                last_activity=last_activity, author_name=author_name, url=url.format(thread_id, thread_slug(title)),
                replies_text=f"{reply_count} repl{'y' if reply_count == 1 else 'ies'}", active_text=time_ago(last_activity, now),
            ))
        return threads

    return PagedRows(total=board.thread_count, load=load)


_TIME_UNITS = ((365 * 86400, "year"), (30 * 86400, "month"), (7 * 86400, "week"), (86400, "day"), (3600, "hour"), (60, "minute"))


def time_ago(then: datetime, now: datetime) -> str:
    """"5 minutes ago", "2 days ago", "just now": the largest whole unit, as forums show activity.
    (Django's timesince, with two units and translation, cost 0.5 ms a board page.)"""
    seconds = int((now - then).total_seconds())
    for size, unit in _TIME_UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def thread_get(*, thread_id: int) -> Thread:
    return Thread.objects.select_related("board").get(pk=thread_id)


def thread_for_reader(*, thread_id: int, peer) -> Thread:
    """The thread with its board and, in the same query, the reader's state: `read_position` (the last
    post read; None if none or a visitor), `subscribed`, and `visible_post_count`: the approved posts
    (counted on the thread) plus the held or removed ones the reader may see.

    Hand-written SQL (commons.sql): the thread page's first read, on every view of a thread.
    """
    beyond = unapproved_visible_sql(peer, "p")
    reader_id = peer.pk if _signed_in(peer) else None
    extra = (
        f"(SELECT COUNT(*) FROM forum_post p WHERE p.thread_id = t.id AND {beyond[0]})" if beyond else "0"
    )
    rows = sql.fetch_all(
        f"SELECT {sql.columns(Thread, 't')}, {sql.columns(Board, 'b')},"
        " (SELECT r.last_read_post_id FROM forum_threadread r WHERE r.thread_id = t.id AND r.peer_id = %s),"
        " EXISTS(SELECT 1 FROM forum_subscription s WHERE s.thread_id = t.id AND s.peer_id = %s),"
        f" {extra}"
        " FROM forum_thread t JOIN forum_board b ON b.id = t.board_id WHERE t.id = %s",
        [reader_id, reader_id, *(beyond[1] if beyond else []), thread_id],
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
    reaction_rows: list = field(default_factory=list)  # (kind, giver id, giver pseudonym), oldest first

    @property
    def is_pending(self) -> bool:
        return self.moderation_status == ModerationStatus.PENDING


_PAGE_POSTS_SQL = (
    "SELECT p.id, p.author_id, a.username, {created}, p.edited_at IS NOT NULL, p.deleted_at IS NOT NULL,"
    " p.moderation_status, p.content_warning, p.body_html, p.mentions_overdose, {bookmarked}, {reactions}"
    " FROM forum_post p LEFT JOIN peers_peer a ON a.id = p.author_id"
    " WHERE p.id IN (SELECT v.id FROM forum_post v WHERE v.thread_id = %s AND {visible} ORDER BY v.id {direction} LIMIT %s OFFSET %s)"
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
    """Posts start..stop-1 of the ones the reader sees, with their reactions and whether the reader
    bookmarked each: one query."""
    visible, visible_params = visible_sql(peer, "v")
    from_end, limit, offset = _window(start, stop, thread.visible_post_count)
    if _signed_in(peer):
        bookmarked, bookmark_params = "EXISTS(SELECT 1 FROM forum_bookmark k WHERE k.post_id = p.id AND k.peer_id = %s)", [peer.pk]
    else:
        bookmarked, bookmark_params = "0", []
    rows = sql.fetch_all(
        _PAGE_POSTS_SQL.format(
            created=sql.epoch("p.created"), bookmarked=bookmarked, reactions=_REACTIONS_JSON[connection.vendor],
            visible=visible, direction="DESC" if from_end else "ASC",
        ),
        [*bookmark_params, thread.id, *visible_params, limit, offset],
    )
    return [
        PagePost(
            id=post_id, author_id=author_id, author_name=author_name, created=sql.from_epoch(created),
            is_edited=bool(edited), is_deleted=bool(deleted), moderation_status=status, content_warning=content_warning,
            body_html=body_html, mentions_overdose=bool(mentions_overdose), bookmarked=bool(bookmarked_flag),
            reaction_rows=[tuple(row) for row in json.loads(reactions or "[]")],
        )
        for post_id, author_id, author_name, created, edited, deleted, status, content_warning, body_html,
        mentions_overdose, bookmarked_flag, reactions in rows
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
    profile_url = _url_pattern("peers:profile")
    author_urls: dict[str, str] = {}  # a page often shows the same few people
    quote_url = f"{reverse('forum:reply', args=[thread.id])}?quote={{}}"
    kinds = Reaction.Kind.choices
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
            ReactionCount(kind=kind, label=label.capitalize(), count=str(len(givers[kind])), givers=", ".join(givers[kind]), mine=kind in mine)
            for kind, label in kinds
        ]
        post.pid = str(post.id)
        post.created_text = f"{post.created.astimezone(zone):%-d %b %Y, %H:%M}"
        approved = post.moderation_status == ModerationStatus.APPROVED
        own = signed_in and post.author_id == peer_id
        post.can_react = signed_in and approved and not own and not post.is_deleted
        post.can_quote = signed_in and approved and not thread.locked and not post.is_deleted
        post.can_change = own and not post.is_deleted and post.moderation_status != ModerationStatus.REJECTED
        post.can_see_history = post.is_edited and not post.is_deleted and (own or is_moderator)
        if post.author_name and post.author_name not in author_urls:
            author_urls[post.author_name] = profile_url.format(quote(post.author_name, safe=""))
        post.author_url = author_urls.get(post.author_name, "")
        post.url = post_url.format(post.id)
        post.quote_url = quote_url.format(post.id)
        post.report_url = report_url.format(post.id)
    return posts


def post_page_number(*, post: Post, peer, per_page: int) -> int:
    before = Post.objects.visible_to(peer).filter(thread_id=post.thread_id, id__lt=post.id).count()
    return before // per_page + 1


def thread_read_position(*, thread: Thread, peer) -> int:
    if not _signed_in(peer):
        return 0
    return ThreadRead.objects.filter(thread=thread, peer=peer).values_list("last_read_post_id", flat=True).first() or 0


def first_unread_post(*, thread: Thread, peer) -> Post | None:
    """The first post after the reader's position, or the last post when everything is read."""
    posts = Post.objects.visible_to(peer).filter(thread=thread)
    position = thread_read_position(thread=thread, peer=peer)
    return posts.filter(id__gt=position).order_by("id").first() or posts.order_by("-id").first()


def post_revisions(*, post: Post) -> QuerySet[PostRevision]:
    return post.revisions.all()


def bookmarks_of(*, peer) -> QuerySet[Bookmark]:
    return (
        Bookmark.objects.filter(peer=peer, post__in=Post.objects.visible_to(peer))
        .select_related("post__thread__board", "post__author")
        .order_by("-created", "-id")
    )


def posts_written_by(*, peer) -> QuerySet[Post]:
    return Post.objects.filter(author=peer).select_related("thread").order_by("id")


# --- search ----------------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    return [term for term in " ".join((query or "").split())[:SEARCH_QUERY_MAX_LENGTH].split(" ") if term]


def search_result_ids(*, query: str, peer) -> list[int]:
    """Ids of the published posts matching `query` in boards the reader may see, best match first.

    One query, at most SEARCH_CANDIDATES ids: paginate this list, then load a page with
    `search_results_for_page` (joining threads, boards and authors for 20 rows, not for every match).
    PostgreSQL: full-text search on the GIN-indexed `search_vector`; the SEARCH_CANDIDATES most recent
    matches are ranked, so a very common word costs no more than a rarer one.
    SQLite: the FTS5 index of forum.sqlite_search; every word (or a form of it) must be in the post (or in
    its thread's title, for the first post); the SEARCH_CANDIDATES most recent matches, newest first.
    """
    terms = search_terms(query)
    posts = Post.objects.approved().filter(deleted_at__isnull=True)
    if not _signed_in(peer):
        posts = posts.filter(thread__board__visibility=Board.Visibility.PUBLIC)
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
