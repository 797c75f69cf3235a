"""What a report or a queue item points at: `<kind>:<id>` for a registered kind (moderation.registry:
`post:12`, `message:5`, ...) or `user:<name>` for a member.

Moderation reads content only through the kinds its owners registered; members (peers, the floor below)
it reads itself.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.ids import parse_id
from moderation import registry
from moderation.models import Target
from peers.models import Peer

MSG_BAD_TARGET = _("We couldn't find what you're reporting. It may have been removed already.")


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


def noun(kind: str) -> str:
    """"post", "room message", "account", ...: what "Your {noun} was ..." calls a target of `kind`."""
    if kind == Target.USER:
        return "account"
    held_kind = registry.get(kind)
    return held_kind.noun if held_kind is not None else kind


def _member(peer: Peer) -> Resolved:
    return Resolved(kind=Target.USER, id=peer.pk, obj=peer, author=peer, label=gettext("member %(name)s") % {"name": peer.username},
                    url=f"/u/{peer.username}/", where=gettext("Member profile"), body_html=peer.bio_html, body=peer.bio)


def resolve(kind: str, pk: int, *, with_context: bool = False) -> Resolved | None:
    if kind == Target.USER:
        peer = Peer.objects.filter(pk=pk).first()
        return _member(peer) if peer is not None else None
    held_kind = registry.get(kind)
    if held_kind is None:
        return None
    resolved = held_kind.resolve(pk)
    if resolved is not None and with_context and held_kind.context is not None:
        resolved.context = held_kind.context(resolved.obj)
    return resolved


def resolve_many(pairs) -> dict:
    """{(kind, pk): Resolved} for many (kind, pk) pairs: one read per kind where the kind offers it (a queue page)."""
    wanted: dict[str, list[int]] = {}
    for kind, pk in pairs:
        wanted.setdefault(kind, []).append(pk)
    found = {}
    for kind, pks in wanted.items():
        held_kind = registry.get(kind)
        if kind == Target.USER:
            found.update({(kind, peer.pk): _member(peer) for peer in Peer.objects.filter(pk__in=pks)})
        elif held_kind is not None and held_kind.resolve_many is not None:
            found.update({(kind, pk): resolved for pk, resolved in held_kind.resolve_many(pks).items()})
        else:  # held texts of other kinds: few at a time, one read each
            found.update({(kind, pk): resolve(kind, pk) for pk in pks})
    return found


def parse(ref: str, *, reader=None) -> Resolved:
    """`post:12`, `message:5` or `user:river` -> the thing; ValidationError(MSG_BAD_TARGET) if there is none,
    or if `reader` (when given) may not see it: the same answer, so a report never confirms what exists."""
    kind, _, value = (ref or "").strip().partition(":")
    resolved = None
    held_kind = registry.get(kind)
    if held_kind is not None and held_kind.reportable and parse_id(value) is not None:
        resolved = resolve(kind, parse_id(value))
    elif kind == Target.USER and value:
        peer = Peer.objects.filter(username__iexact=value).first()
        resolved = _member(peer) if peer else None
    if resolved is None or (reader is not None and not visible_to(resolved, reader)):
        raise ValidationError(MSG_BAD_TARGET, code="bad_target")
    return resolved


def visible_to(resolved: Resolved, reader) -> bool:
    """Can `reader` see the reported thing? A member's profile: while the account is active. Posts and room
    messages: the rule their app registered (moderation.registry), i.e. the one its pages read by."""
    if resolved.kind == Target.USER:
        return resolved.obj.is_active
    return registry.can_see(resolved.kind, reader, resolved.obj)
