"""Forum posts as a kind of moderation's targets (moderation.registry), registered in ForumConfig.ready:
moderation finds, shows, approves, hides, redacts and restores posts through these, and counts an account's
approved posts for its standing (moderation.trust), without importing the forum."""

from forum import services
from forum.models import Post
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
