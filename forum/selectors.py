"""Reads for the forum, already joined so a template never queries per row."""

import re
from urllib.parse import quote

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.timezone import localtime
from django.utils.safestring import SafeString, mark_safe

from forum import sqlite_search
from forum.models import Board, Bookmark, Post, PostRevision, Reaction, Subscription, Thread, ThreadRead
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


def board_thread_ids(*, board: Board) -> QuerySet:
    """Ids of a board's threads, pinned first, then newest activity: paginate these (index-only scan)."""
    return board.threads.order_by("-pinned", "-last_activity", "-id").values_list("id", flat=True)


def threads_for_page(ids: list[int]) -> list[Thread]:
    """The threads with these ids, in this order, with their authors, URLs and the texts of their row."""
    threads = Thread.objects.filter(id__in=ids).select_related("author").only(
        "id", "title", "pinned", "locked", "reply_count", "last_activity", "author__username"
    )
    by_id = {thread.id: thread for thread in threads}
    url = _url_pattern("forum:thread_slug", 2)
    now = timezone.now()
    for thread in by_id.values():
        thread.url = url.format(thread.id, thread.slug)
        thread.replies_text = f"{thread.reply_count} repl{'y' if thread.reply_count == 1 else 'ies'}"
        thread.active_text = timesince(thread.last_activity, now)
    return [by_id[i] for i in ids if i in by_id]


def thread_get(*, thread_id: int) -> Thread:
    return Thread.objects.select_related("board").get(pk=thread_id)


def thread_for_reader(*, thread_id: int, peer) -> Thread:
    """The thread with its board and, in the same query, the reader's state: `read_position` (the last
    post read; None if none or a visitor) and `subscribed`."""
    threads = Thread.objects.select_related("board")
    if _signed_in(peer):
        threads = threads.annotate(
            read_position=Subquery(
                ThreadRead.objects.filter(thread=OuterRef("pk"), peer=peer).values("last_read_post_id")[:1]
            ),
            subscribed=Exists(Subscription.objects.filter(thread=OuterRef("pk"), peer=peer)),
        )
    thread = threads.get(pk=thread_id)
    if not _signed_in(peer):
        thread.read_position, thread.subscribed = None, False
    return thread


def post_get(*, post_id: int) -> Post:
    return Post.objects.select_related("thread__board", "author").get(pk=post_id)


def thread_post_ids(*, thread: Thread, peer) -> QuerySet:
    """Ids of every post the reader may see, oldest first; deleted ones stay as placeholders.

    Paginate these (an index-only scan on post_thread_visible), then load the page with `posts_for_page`.
    """
    return Post.objects.visible_to(peer).filter(thread=thread).order_by("id").values_list("id", flat=True)


def posts_for_page(ids: list[int], *, peer=None) -> list[Post]:
    """The posts with these ids, in this order, with their authors and whether `peer` bookmarked each
    (`post.bookmarked`); `post.reaction_rows` holds (kind, giver id, giver pseudonym) for each reaction,
    oldest first: two queries in all."""
    posts = Post.objects.filter(id__in=ids).select_related("author").only(
        "id", "thread_id", "author__username", "created", "edited_at", "deleted_at", "moderation_status",
        "content_warning", "body_html", "mentions_overdose",
    )
    if _signed_in(peer):
        posts = posts.annotate(bookmarked=Exists(Bookmark.objects.filter(post=OuterRef("pk"), peer=peer)))
    else:
        posts = posts.annotate(bookmarked=Value(False))
    by_id = {post.id: post for post in posts}
    for post in by_id.values():
        post.reaction_rows = []
    rows = (
        Reaction.objects.filter(post_id__in=ids)
        .order_by("id")
        .values_list("post_id", "kind", "peer_id", "peer__username")
    )
    for post_id, kind, peer_id, username in rows:  # plain tuples: ~60 model instances fewer per page
        by_id[post_id].reaction_rows.append((kind, peer_id, username))
    return [by_id[i] for i in ids if i in by_id]


def _url_pattern(name: str, arguments: int = 1) -> str:
    """The URL named `name` with "{0}", "{1}"... for its arguments, for str.format per row: one reverse()
    per page instead of one per row (~30 µs each)."""
    placeholders = [999_999_001 + n for n in range(arguments)]
    url = reverse(name, args=placeholders)
    for n, placeholder in enumerate(placeholders):
        url = url.replace(str(placeholder), "{%d}" % n)
    return url


def posts_decorate(posts: list[Post], *, peer, thread: Thread, next_path: str = "") -> list[Post]:
    """Attach reaction counts, givers, the reader's own reactions, what the reader may do and the action
    URLs (no query; the template then only prints). `posts` come from `posts_for_page`."""
    signed_in = _signed_in(peer)
    peer_id = peer.pk if signed_in else None
    is_moderator = signed_in and peer.is_moderator
    # The report link of moderation/_report_link.html, built once here: {% url %} per post cost ~0.1 ms each.
    report_url = f"{reverse('moderation:report')}?target=post:{{}}&next={quote(next_path, safe='')}"
    post_url = _url_pattern("forum:post")
    quote_url = f"{reverse('forum:reply', args=[thread.id])}?quote={{}}"
    kinds = Reaction.Kind.choices
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
            {"kind": kind, "label": label.capitalize(), "count": str(len(givers[kind])), "givers": ", ".join(givers[kind]), "mine": kind in mine}
            for kind, label in kinds
        ]
        post.pid = str(post.id)
        post.created_text = f"{localtime(post.created):%-d %b %Y, %H:%M}"
        approved = post.moderation_status == ModerationStatus.APPROVED
        own = signed_in and post.author_id == peer_id
        post.can_react = signed_in and approved and not own and not post.is_deleted
        post.can_quote = signed_in and approved and not thread.locked and not post.is_deleted
        post.can_change = own and not post.is_deleted and post.moderation_status != ModerationStatus.REJECTED
        post.can_see_history = bool(post.edited_at) and not post.is_deleted and (own or is_moderator)
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
