"""What a report or a queue item points at: `post:<id>`, `message:<id>` or `user:<name>`.

Reads forum posts and room messages through their models (read-only); every write goes
through forum.services / rooms.services.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from commons.ids import parse_id
from moderation import registry
from moderation.models import Target

MSG_BAD_TARGET = "We couldn't find what you're reporting. It may have been removed already."


@dataclass
class Resolved:
    kind: str
    id: int
    obj: object
    author: object | None
    label: str
    url: str = ""
    where: str = ""
    body_html: str = ""
    body: str = ""
    status: str = ""
    context: list = field(default_factory=list)  # (author name, body_html) before it, oldest first

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"


def _post(pk: int, *, with_context: bool = False) -> Resolved | None:
    from forum.models import Post

    post = Post.objects.select_related("thread", "thread__board", "author").filter(pk=pk).first()
    if post is None:
        return None
    resolved = Resolved(
        kind=Target.POST, id=post.pk, obj=post, author=post.author, label=f"post #{post.pk}",
        url=post.get_absolute_url(), where=f"{post.thread.board.title} › {post.thread.title}",
        body_html=post.body_html, body=post.body, status=post.moderation_status,
    )
    if with_context:
        before = Post.objects.approved().filter(thread_id=post.thread_id, pk__lt=post.pk).select_related("author").order_by("-pk")[:2]
        resolved.context = [(p.author.username if p.author else "former member", p.body_html) for p in reversed(before)]
    return resolved


def _message(pk: int, *, with_context: bool = False) -> Resolved | None:
    from rooms.models import Message

    message = Message.objects.select_related("room", "author").filter(pk=pk).first()
    if message is None:
        return None
    resolved = Resolved(
        kind=Target.MESSAGE, id=message.pk, obj=message, author=message.author, label=f"room message #{message.pk}",
        url=message.room.get_absolute_url(), where=f"Live room › {message.room.title}",
        body_html=message.body_html, body=message.body, status=message.moderation_status,
    )
    if with_context:
        before = Message.objects.approved().filter(room_id=message.room_id, pk__lt=message.pk).select_related("author").order_by("-pk")[:3]
        resolved.context = [(m.author.username if m.author else "former member", m.body_html) for m in reversed(before)]
    return resolved


def _user(pk: int) -> Resolved | None:
    from peers.models import Peer

    peer = Peer.objects.filter(pk=pk).first()
    if peer is None:
        return None
    return Resolved(kind=Target.USER, id=peer.pk, obj=peer, author=peer, label=f"member {peer.username}",
                    url=f"/u/{peer.username}/", where="Member profile", body_html=peer.bio_html, body=peer.bio)


def resolve(kind: str, pk: int, *, with_context: bool = False) -> Resolved | None:
    held_kind = registry.get(kind)
    if held_kind is not None:
        return held_kind.resolve(pk)
    if kind == Target.POST:
        return _post(pk, with_context=with_context)
    if kind == Target.MESSAGE:
        return _message(pk, with_context=with_context)
    if kind == Target.USER:
        return _user(pk)
    return None


def parse(ref: str, *, reader=None) -> Resolved:
    """`post:12`, `message:5` or `user:river` -> the thing; ValidationError(MSG_BAD_TARGET) if there is none,
    or if `reader` (when given) may not see it: the same answer, so a report never confirms what exists."""
    kind, _, value = (ref or "").strip().partition(":")
    resolved = None
    if kind in (Target.POST, Target.MESSAGE) and parse_id(value) is not None:
        resolved = resolve(kind, parse_id(value))
    elif kind == Target.USER and value:
        from peers.models import Peer

        peer = Peer.objects.filter(username__iexact=value).first()
        resolved = _user(peer.pk) if peer else None
    if resolved is None or (reader is not None and not visible_to(resolved, reader)):
        raise ValidationError(MSG_BAD_TARGET, code="bad_target")
    return resolved


def visible_to(resolved: Resolved, reader) -> bool:
    """Can `reader` see the reported thing? A member's profile: while the account is active. Posts and room
    messages: the rule their app registered (moderation.registry), i.e. the one its pages read by."""
    if resolved.kind == Target.USER:
        return resolved.obj.is_active
    return registry.can_see(resolved.kind, reader, resolved.obj)
