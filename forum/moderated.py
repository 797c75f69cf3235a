"""Forum posts as a kind of moderation's targets (moderation.registry), registered in ForumConfig.ready:
moderation finds, shows, approves, hides, redacts and restores posts through these, and counts an account's
approved posts for its standing (moderation.trust), without importing the forum. Held edits of approved posts
are a second kind: the moderator sees a word diff of the approved text and the waiting one."""

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from forum import services
from forum.models import PendingEdit, Post
from moderation.models import ModerationStatus, Target
from moderation.registry import HeldKind
from moderation.targets import Resolved


def _resolved(post: Post) -> Resolved:
    return Resolved(
        kind=Target.POST, id=post.pk, obj=post, author=post.author, label=f"post #{post.pk}",
        url=post.get_absolute_url(), where=f"{post.thread.board.title} › {post.thread.title}",
        body_html=post.body_html, body=post.body, status=post.moderation_status,
    )


def _posts(pks):
    return Post.objects.filter(pk__in=pks).select_related("thread", "thread__board", "author")


def _resolve(pk: int) -> Resolved | None:
    post = _posts([pk]).first()
    return _resolved(post) if post is not None else None


def _context(post: Post) -> list:
    before = Post.objects.approved().filter(thread_id=post.thread_id, pk__lt=post.pk).select_related("author").order_by("-pk")[:2]
    return [(p.author.username if p.author else "former member", p.body_html) for p in reversed(before)]


def _redact(post: Post, body: str, by, reason: str) -> bool:
    """The personal information goes; the rest is public (a held post is approved with it)."""
    changed = services.post_redact(post=post, body=body, by=by, reason=reason)
    if post.moderation_status != ModerationStatus.APPROVED:
        services.post_moderate(post=post, status=ModerationStatus.APPROVED, by=by, reason=reason)
    return changed


def approved_posts_count(peer, at_least: int) -> int:
    """Approved forum posts by `peer`, counted up to `at_least` (enough to decide, no more)."""
    if at_least <= 0:
        return 0
    return len(Post.objects.approved().filter(author=peer).values_list("pk", flat=True)[:at_least])


POSTS = HeldKind(
    kind=Target.POST, noun="post", reportable=True,
    resolve=_resolve,
    resolve_many=lambda pks: {post.pk: _resolved(post) for post in _posts(pks)},
    context=_context,
    approve=lambda post, by: services.post_moderate(post=post, status=ModerationStatus.APPROVED, by=by),
    # Hide and delete both leave the post removed (rejected) so that an appeal can restore it.
    reject=lambda post, by, reason: services.post_moderate(post=post, status=ModerationStatus.REJECTED, by=by, reason=reason),
    redact=_redact,
    auto_hide=lambda post, reason: services.post_moderate(post=post, status=ModerationStatus.PENDING, by=None, reason=reason),
    restore=lambda post, by, reason: services.post_moderate(post=post, status=ModerationStatus.APPROVED, by=by, reason=reason),
)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff_html(before: str, after: str) -> SafeString:
    """`before` → `after` word by word: removed words in <del>, added ones in <ins>, all text escaped."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def _section(label: str, before: str, after: str) -> str:
    return format_html('<h5>{}</h5><p class="mod-diff">{}</p>', label, word_diff_html(before, after))


def _resolve(pk: int) -> Resolved | None:
    pending = PendingEdit.objects.select_related("post__thread__board", "author").filter(pk=pk).first()
    if pending is None:
        return None
    post = pending.post
    sections = []
    if pending.title:
        sections.append(_section(gettext("Thread title"), post.thread.title, pending.title))
    if pending.content_warning != post.content_warning:
        sections.append(_section(gettext("Content warning"), post.content_warning, pending.content_warning))
    sections.append(_section(gettext("Post (removed words struck through, added ones underlined)"), post.body, pending.body))
    body = "\n\n".join(part for part in (pending.title, pending.content_warning, pending.body) if part)
    return Resolved(
        kind=Target.EDIT, id=pending.pk, obj=pending, author=pending.author, label=f"edit of post #{post.pk}",
        url=post.get_absolute_url(), where=gettext("%(board)s › %(thread)s (the approved version stays public until you decide)") % {"board": post.thread.board.title, "thread": post.thread.title},
        body_html=mark_safe("".join(sections)),  # noqa: S308 - built from escaped parts
        body=body, status=ModerationStatus.PENDING,
    )


PENDING_EDITS = HeldKind(
    kind=Target.EDIT, noun="edit",
    resolve=_resolve,
    approve=lambda pending, by: services.pending_edit_approve(pending=pending, by=by),
    reject=lambda pending, by, reason: services.pending_edit_reject(pending=pending, by=by, reason=reason),
)
