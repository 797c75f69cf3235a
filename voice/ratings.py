"""Members' ratings of services (docs/voice.md, "Your voice on services").

A signed-in member rates a service on respect, access and wait (1 to 5 each), with an optional short comment,
once per 90 days. Nothing leads from a rating back to its author:
- a ServiceRating holds no author and no time, and its id is random (no order of arrival);
- "once per 90 days" is a RatingReceipt per member and service: the day they may rate it again, rounded to the
  week, with no rating id;
- at each new rating the service's ratings are written again in shuffled order, so that the order rows sit
  in says nothing about when each came;
- a comment is screened without a notice to its author (a notice's time would tie them to a held comment):
  the page tells them instead, and a held comment shows only once a moderator approves it.
Averages and comments show only once VOICE_RATING_MIN_RATERS (5) different people have rated the service.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commons.limits import limit_use
from commons.refusals import Refusal
from commons.text import validate_visible
from moderation.sanctions import active_restriction
from moderation.screening import hold_codes
from moderation.trust import is_new_account
from peers.models import Peer
from safety.models import ServiceEntry
from voice.models import RATING_COMMENT_MAX, RatingReceipt, ServiceRating

ASPECTS = ("respect", "access", "wait")
AGAIN_AFTER_DAYS = 90

MSG_UNKNOWN_SERVICE = _("There is no such service in the directory.")
MSG_VALUES = _("Please rate respect, access and wait, each from 1 (poor) to 5 (very good).")
MSG_COMMENT_LONG = _("Please keep the comment under %(max)d characters.")
MSG_COMMENT_INVISIBLE = _("The comment has only spaces or invisible characters in it, so nobody could read it. Write something visible, or leave it empty.")
MSG_AGAIN_FROM = _("You've rated %(name)s already. You can rate it again from %(date)s.")


def min_raters() -> int:
    return int(getattr(settings, "VOICE_RATING_MIN_RATERS", 5))


def again_from(today: date) -> date:
    """The first day of the rating's week plus 96 days: between 90 and 96 days after the rating, and the same
    for everyone who rated that week, so that the receipt tells nobody the day."""
    return today - timedelta(days=today.weekday()) + timedelta(days=AGAIN_AFTER_DAYS + 6)


def _value(raw) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise Refusal("invalid", str(MSG_VALUES)) from None
    if not 1 <= value <= 5:
        raise Refusal("invalid", str(MSG_VALUES))
    return value


def _shuffle(service_id: int) -> None:
    """Write the service's ratings again in random order (their ids, random too, stay)."""
    rows = list(ServiceRating.objects.filter(service_id=service_id))
    random.shuffle(rows)
    ServiceRating.objects.filter(service_id=service_id).delete()
    ServiceRating.objects.bulk_create(rows)


@transaction.atomic
def rating_add(*, rater: Peer, service_id, respect, access, wait, comment: str = "") -> bool:
    """Store a rating with no link to `rater`; True when its comment waits for a moderator. Refusal, storing
    nothing, for an unknown service, a value outside 1 to 5, a long or invisible comment, or a second rating
    inside 90 days."""
    service = ServiceEntry.objects.filter(pk=service_id).first() if str(service_id).isdigit() else None
    if service is None:
        raise Refusal("not_found", str(MSG_UNKNOWN_SERVICE))
    values = {"respect": _value(respect), "access": _value(access), "wait": _value(wait)}
    comment = " ".join(str(comment or "").split())
    try:
        validate_visible(comment)
    except ValidationError:
        raise Refusal("invalid", str(MSG_COMMENT_INVISIBLE)) from None
    if len(comment) > RATING_COMMENT_MAX:
        raise Refusal("invalid", str(MSG_COMMENT_LONG) % {"max": RATING_COMMENT_MAX})
    restriction = active_restriction(rater)
    if restriction is not None:
        raise Refusal("forbidden", restriction.message)
    today = timezone.now().date()  # UTC: the same day for everyone
    receipt = RatingReceipt.objects.select_for_update().filter(peer=rater, service=service).first()
    if receipt is not None and receipt.again_from > today:
        raise Refusal("limit", str(MSG_AGAIN_FROM) % {"name": service.name, "date": receipt.again_from.strftime("%d %b %Y")})
    limit_use("voice_rate", rater.pk)
    held = bool(comment) and bool(hold_codes(comment, new_account=is_new_account(rater)))
    ServiceRating.objects.create(service=service, comment=comment, **values,
                                 comment_status=ServiceRating.CommentStatus.PENDING if held else ServiceRating.CommentStatus.APPROVED)
    RatingReceipt.objects.update_or_create(peer=rater, service=service, defaults={"again_from": again_from(today)})
    _shuffle(service.pk)
    return held


@transaction.atomic
def comment_moderate(*, rating_id, approve: bool) -> bool:
    """A moderator shows or hides a held comment; False when it was decided already (or is gone)."""
    status = ServiceRating.CommentStatus.APPROVED if approve else ServiceRating.CommentStatus.REJECTED
    return bool(ServiceRating.objects.filter(pk=rating_id, comment_status=ServiceRating.CommentStatus.PENDING).update(comment_status=status))


# --- reads ----------------------------------------------------------------------------------------------


@dataclass
class Summary:
    raters: int = 0
    shown: bool = False
    averages: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    again_from: date | None = None  # the reader's own: when they may rate it again (None: now)


def summaries(services, reader) -> dict[int, Summary]:
    """For each service: how many people rated it and, once they are VOICE_RATING_MIN_RATERS or more, the
    averages (one decimal) and approved comments, in the random order of their ids."""
    ids = [s.pk for s in services]
    found = {pk: Summary() for pk in ids}
    raters = RatingReceipt.objects.filter(service_id__in=ids).values_list("service_id").annotate(n=Count("id"))
    for pk, n in raters:
        found[pk].raters = n
        found[pk].shown = n >= min_raters()
    shown = [pk for pk, summary in found.items() if summary.shown]
    if shown:
        rows = ServiceRating.objects.filter(service_id__in=shown).values("service_id").annotate(
            **{aspect: Avg(aspect) for aspect in ASPECTS})
        for row in rows:
            found[row["service_id"]].averages = {aspect: round(row[aspect], 1) for aspect in ASPECTS}
        comments = ServiceRating.objects.filter(service_id__in=shown, comment_status=ServiceRating.CommentStatus.APPROVED).exclude(
            comment="").order_by("id").values_list("service_id", "comment")
        for pk, comment in comments:
            found[pk].comments.append(comment)
    if getattr(reader, "is_authenticated", False):
        today = timezone.now().date()
        for pk, when in RatingReceipt.objects.filter(peer=reader, service_id__in=ids, again_from__gt=today).values_list(
                "service_id", "again_from"):
            found[pk].again_from = when
    return found


def comments_waiting():
    return ServiceRating.objects.filter(comment_status=ServiceRating.CommentStatus.PENDING).select_related("service").order_by("id")


def queue_notice() -> dict:
    """For the top of the moderators' queue: how many service comments wait (moderation.registry)."""
    return {"rating_comments": comments_waiting().count()}


