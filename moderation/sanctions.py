"""Is this person restricted right now? Forum, rooms and safety ask here before any write.

A mute stops writing (posting, replying, reacting, chatting, reporting in bulk);
a suspension or ban also stops opening a room socket (close code 4403).
Sanctions themselves are issue 5's work; until a Sanction model exists nobody is restricted.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Restriction:
    kind: str  # "mute", "suspend" or "ban"
    until: datetime | None
    reason: str

    @property
    def blocks_connecting(self) -> bool:
        return self.kind in ("suspend", "ban")

    @property
    def message(self) -> str:
        label = {"mute": "muted", "suspend": "suspended", "ban": "banned"}[self.kind]
        until = f" until {self.until:%d %b %Y, %H:%M} UTC" if self.until else ""
        return f"Your account is {label}{until}. Reason: {self.reason}"


def active_restriction(peer) -> Restriction | None:
    """The restriction in force for `peer` now, the strongest first; None if free to take part."""
    return None


def check_can_write(peer) -> None:
    """Raise PermissionDenied with a readable reason if `peer` may not write anything now."""
    restriction = active_restriction(peer)
    if restriction is not None:
        raise PermissionDenied(restriction.message)


def check_can_connect(peer) -> None:
    """Raise PermissionDenied if `peer` may not open a live socket (suspended or banned)."""
    restriction = active_restriction(peer)
    if restriction is not None and restriction.blocks_connecting:
        raise PermissionDenied(restriction.message)
