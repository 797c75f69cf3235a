"""Held edits of approved posts as a kind of moderation's queue (moderation.registry), registered in
ForumConfig.ready: the moderator sees a word diff of the approved text and the waiting one."""

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from forum import services
from forum.models import PendingEdit
from moderation.models import ModerationStatus, Target
from moderation.registry import HeldKind
from moderation.targets import Resolved

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
        sections.append(_section("Thread title", post.thread.title, pending.title))
    if pending.content_warning != post.content_warning:
        sections.append(_section("Content warning", post.content_warning, pending.content_warning))
    sections.append(_section("Post (removed words struck through, added ones underlined)", post.body, pending.body))
    body = "\n\n".join(part for part in (pending.title, pending.content_warning, pending.body) if part)
    return Resolved(
        kind=Target.EDIT, id=pending.pk, obj=pending, author=pending.author, label=f"edit of post #{post.pk}",
        url=post.get_absolute_url(), where=f"{post.thread.board.title} › {post.thread.title} (the approved version stays public until you decide)",
        body_html=mark_safe("".join(sections)),  # noqa: S308 - built from escaped parts
        body=body, status=ModerationStatus.PENDING,
    )


PENDING_EDITS = HeldKind(
    kind=Target.EDIT, noun="edit",
    resolve=_resolve,
    approve=lambda pending, by: services.pending_edit_approve(pending=pending, by=by),
    reject=lambda pending, by, reason: services.pending_edit_reject(pending=pending, by=by, reason=reason),
)
