"""Screening of new content as it lands (forum posts, room messages, alerts).

Forum, rooms and safety call `screen()` before storing; it decides whether
the content is published at once or held for a moderator, and why.
The automatic holds (contact details, sourcing language) are issue 5's work.
"""

from dataclasses import dataclass, field

from moderation.models import ModerationStatus


@dataclass(frozen=True)
class Screening:
    status: str = ModerationStatus.APPROVED
    reasons: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.status == ModerationStatus.PENDING


def screen(*, author, text: str, kind: str) -> Screening:
    """Decide whether `text` by `author` is published now or held; `kind` is "post", "message" or "alert"."""
    return Screening()
