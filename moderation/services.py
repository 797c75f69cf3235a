"""Writes for moderation: reports, queue decisions, sanctions, appeals, hold patterns.

Forum posts and room messages change only through forum.services / rooms.services.
Every moderator action writes one LogEntry (the public audit log).
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from commons.limits import limit_use
from commons.text import validate_visible
from moderation import targets
from moderation.queue import open_item_for
from moderation.permissions import (  # noqa: F401  (re-exported: views and tests use services.MSG_*)
    MSG_APPEAL_NOT_YOURS, MSG_APPEAL_SAME_MODERATOR, MSG_MODERATORS_ONLY, MSG_SELF_SANCTION,
    check_can_appeal, check_can_decide_appeal, check_can_moderate,
)
from moderation.models import (
    Action, Appeal, LogEntry, ModerationStatus, QueueItem, Report, ReportReason, Sanction, SourcingPattern,
    Target,
)
from moderation.sanctions import active_restriction
from moderation.screening import patterns_changed
from moderation.trust import is_established
from peers.services import notification_send

MSG_SIGN_IN_TO_REPORT = "Please log in to report something."
MSG_REPORT_REASON = "Please choose a reason for the report."
MSG_REPORT_OTHER_NEEDS_TEXT = "Please say a few words about what is wrong."
MSG_REPORT_SELF = "You can't report yourself or your own words. You can edit or ask a moderator for help instead."
MSG_ALREADY_REPORTED = "You've already reported this. A moderator will look at it soon."
MSG_REPORT_THANKS = "Thank you. A moderator will look at your report soon."
MSG_ALREADY_RESOLVED = "Another moderator already resolved this item, so nothing was changed."
MSG_REASON_REQUIRED = "Please give a reason: the person affected and the public log will see it."
MSG_DURATION_REQUIRED = "Please choose how long this should last (up to a year)."
MSG_UNKNOWN_ACTION = "Please choose an action."
MSG_UNKNOWN_CATEGORY = "Please choose which rule or reason this decision is about."
MSG_ACTION_NOT_FOR_TARGET = "That action doesn't apply to this item."
MSG_REDACT_NEEDS_TEXT = "Please give the text with the personal information taken out."
MSG_REDACT_UNAVAILABLE = "Redacting isn't available for this kind of content yet; hide it instead."
MSG_NO_AUTHOR = "This was written by a former member, so there is nobody to sanction."
MSG_APPEAL_NOT_APPEALABLE = "This decision can't be appealed."
MSG_ALREADY_APPEALED = "You've already appealed this decision. Each decision can be appealed once."
MSG_APPEAL_TEXT = "Please say why you think the decision should change (up to 2,000 characters)."
MSG_APPEAL_DECIDED = "This appeal has already been decided, so nothing was changed."
MSG_PATTERN_EMPTY = "Please give a word, phrase or pattern."
MSG_PATTERN_BAD_REGEX = "That regular expression doesn't work: {error}"
MSG_PATTERN_EXISTS = "That pattern is already on the list."

REDACTED = "[removed by a moderator]"
NOUNS = {Target.POST: "post", Target.MESSAGE: "room message", Target.USER: "account", Target.BIO: "profile",
         Target.ROOM: "room", Target.HELP: "answers", Target.EDIT: "edit"}


class AlreadyResolved(Exception):
    """Someone else got there first; nothing was written."""


def _require_moderator(peer) -> None:
    check_can_moderate(peer)


def _log(*, actor, action: str, kind: str = "", target_id=None, subject=None, item=None, reason: str = "", until=None,
         category: str = "") -> LogEntry:
    return LogEntry.objects.create(
        actor=actor, action=action, target_kind=kind, target_id=target_id, subject=subject, item=item,
        reason=reason[:500], until=until, category=category,
    )


def audit_record(*, actor, action: str, kind: str, target_id: int, subject=None, reason: str = "", category: str = "") -> LogEntry:
    """One audit-log row for a moderator decision taken in another app (a drug alert, say)."""
    return _log(actor=actor, action=action, kind=kind, target_id=target_id, subject=subject, reason=reason, category=category)


# Which report reason an automatic hold stands for (screening's reason codes); "new account" stands for none.
HOLD_CATEGORIES = {"contact": ReportReason.PERSONAL_INFO, "payment": ReportReason.SOURCING, "sourcing": ReportReason.SOURCING,
                   "link": ReportReason.SPAM}


def category_suggest(item: QueueItem) -> str:
    """The category a decision on `item` is most likely about: its most common open report reason, else
    the automatic hold's reason; "" when there is neither (the decision form then asks)."""
    from collections import Counter

    from moderation.screening import HOLD_REASONS

    reasons = Counter(item.reports.filter(closed_at__isnull=True).values_list("reason", flat=True))
    if reasons:
        return reasons.most_common(1)[0][0]
    for code, words in HOLD_REASONS.items():
        if code in HOLD_CATEGORIES and words in item.hold_reason:
            return HOLD_CATEGORIES[code]
    return ""


def _threshold() -> int:
    return int(getattr(settings, "MODERATION_REPORT_THRESHOLD", 3))


# --- reports -----------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, reporter, target_ref: str, reason: str, text: str = "") -> Report:
    """File one report; reports on one target gather into one open queue item. Hides the content for
    review once MODERATION_REPORT_THRESHOLD distinct established members have reported it."""
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied(MSG_SIGN_IN_TO_REPORT)
    text = (text or "").strip()[:1000]
    if reason not in ReportReason.values:
        raise ValidationError(MSG_REPORT_REASON, code="reason")
    validate_visible(text)
    if reason == ReportReason.OTHER and not text:
        raise ValidationError(MSG_REPORT_OTHER_NEEDS_TEXT, code="text")
    target = targets.parse(target_ref, reader=reporter)  # only what the reporter can see
    if target.kind != Target.USER and target.status != ModerationStatus.APPROVED and not reporter.is_moderator:
        raise ValidationError(targets.MSG_BAD_TARGET, code="bad_target")
    if target.author is not None and target.author.pk == reporter.pk:
        raise ValidationError(MSG_REPORT_SELF, code="self")
    if Report.objects.filter(reporter=reporter, target_kind=target.kind, target_id=target.id, closed_at__isnull=True).exists():
        raise ValidationError(MSG_ALREADY_REPORTED, code="duplicate")
    limit_use("report", reporter.pk)
    if active_restriction(reporter) is not None:
        limit_use("report_restricted", reporter.pk)  # a muted or suspended person may report, not in bulk
    item = open_item_for(kind=target.kind, target_id=target.id, subject=target.author)
    report = Report.objects.create(
        reporter=reporter, item=item, target_kind=target.kind, target_id=target.id, reason=reason, text=text,
        reporter_established=is_established(reporter),
    )
    QueueItem.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
    item.refresh_from_db()
    if target.kind != Target.USER and not item.auto_hidden:
        established = item.reports.filter(closed_at__isnull=True, reporter_established=True).values("reporter").distinct().count()
        if established >= _threshold() and target.status == ModerationStatus.APPROVED:
            _auto_hide(item=item, target=target, category=category_suggest(item))
    return report


MSG_AUTO_HIDDEN = "hidden after several reports from members; a moderator will look soon"


def _auto_hide(*, item: QueueItem, target, category: str) -> None:
    from forum import services as forum_services
    from rooms import services as rooms_services

    if target.kind == Target.POST:
        changed = forum_services.post_moderate(post=target.obj, status=ModerationStatus.PENDING, by=None, reason=MSG_AUTO_HIDDEN)
    else:
        changed = rooms_services.message_remove(message=target.obj, by=None, reason=MSG_AUTO_HIDDEN)
    QueueItem.objects.filter(pk=item.pk).update(auto_hidden=True)
    if changed:
        _log(actor=None, action=Action.AUTO_HIDE, kind=target.kind, target_id=target.id, subject=target.author, item=item,
             reason=MSG_AUTO_HIDDEN, category=category)
        notification_send(recipient=target.author, kind="moderation",
                          text=f"Your {NOUNS[target.kind]} was {MSG_AUTO_HIDDEN}.", url=APPEAL_URL)


APPEAL_URL = "/appeal/"


def held_items_sync() -> int:
    """Open a queue item for every held post or room message that has none yet, and close held items
    whose content was decided elsewhere (a room host approved it, the thread was deleted) and that
    nobody reported; returns how many items were opened."""
    from forum.models import Post
    from rooms.models import Message

    created = 0
    for kind, model in ((Target.POST, Post), (Target.MESSAGE, Message)):
        stale = QueueItem.objects.filter(target_kind=kind, status=QueueItem.Status.OPEN, held=True, report_count=0, auto_hidden=False)
        stale_ids = list(stale.values_list("target_id", flat=True))
        if stale_ids:
            still_pending = set(model.objects.filter(pk__in=stale_ids, moderation_status=ModerationStatus.PENDING).values_list("pk", flat=True))
            decided = [pk for pk in stale_ids if pk not in still_pending]
            if decided:
                stale.filter(target_id__in=decided).update(status=QueueItem.Status.RESOLVED, resolved_at=timezone.now(), resolution="elsewhere")
        pending = list(model.objects.filter(moderation_status=ModerationStatus.PENDING).values_list("pk", "author_id", "created", "moderation_reason"))
        if not pending:
            continue
        open_ids = set(
            QueueItem.objects.filter(target_kind=kind, status=QueueItem.Status.OPEN, target_id__in=[row[0] for row in pending])
            .values_list("target_id", flat=True)
        )
        for pk, author_id, created_at, reason in pending:
            if pk in open_ids:
                continue
            try:
                with transaction.atomic():
                    QueueItem.objects.create(target_kind=kind, target_id=pk, subject_id=author_id, held=True,
                                             hold_reason=reason, created=created_at)
                    created += 1
            except IntegrityError:
                pass
    return created


# --- decisions on queue items ------------------------------------------------------------------


def redact_suggestion(text: str) -> str:
    """The text with anything that looks like contact details or a payment handle replaced."""
    from moderation import screening

    for pattern in (screening._EMAIL, screening._PHONE, screening._STREET, screening._PAYMENT):
        text = pattern.sub(REDACTED, text)
    return text


def sanction_apply(*, peer, action: str, moderator, reason: str, hours: float | None = None, item: QueueItem | None = None,
                   category: str = "") -> Sanction:
    """Warn, mute, suspend or ban `peer` directly (see moderation.actions); the caller holds a transaction."""
    from moderation.actions import sanction_apply as apply

    return apply(peer=peer, action=action, moderator=moderator, reason=reason, hours=hours, item=item, category=category)


def item_decide(*, item: QueueItem, moderator, content_action: str = "", sanction: str = "", reason: str = "",
                hours: float | None = None, redacted_body: str = "", category: str = "") -> list[LogEntry]:
    """Resolve one queue item: a content action (approve, hide, delete, redact, dismiss) and/or a sanction
    on its author, under a rule or reason `category` (a ReportReason; by default category_suggest's).
    Validates everything first; raises AlreadyResolved, writing nothing, if another moderator resolved
    the item first. Returns the audit rows written."""
    from moderation import actions

    _require_moderator(moderator)
    limit_use("moderator_action", moderator.pk)
    chosen = []
    if content_action:
        if content_action not in actions.CONTENT_ACTIONS:
            raise ValidationError(MSG_UNKNOWN_ACTION)
        chosen.append(actions.CONTENT_ACTIONS[content_action])
    elif item.target_kind != Target.USER and sanction:
        raise ValidationError(MSG_ACTION_NOT_FOR_TARGET)  # say what happens to the content too
    if sanction:
        if sanction not in actions.SANCTIONS:
            raise ValidationError(MSG_UNKNOWN_ACTION)
        chosen.append(actions.SANCTIONS[sanction])
    if not chosen:
        raise ValidationError(MSG_UNKNOWN_ACTION)
    validate_visible((reason or "").strip())
    validate_visible((redacted_body or "").strip())
    if category and category not in ReportReason.values:
        raise ValidationError(MSG_UNKNOWN_CATEGORY)
    ctx = actions.Context(item=item, target=targets.resolve(item.target_kind, item.target_id), moderator=moderator,
                          reason=(reason or "").strip()[:500], hours=hours, redacted_body=redacted_body or "",
                          category=category or category_suggest(item) or ReportReason.OTHER)
    for action in chosen:
        action.validate(ctx)
    now = timezone.now()
    with transaction.atomic():
        # The conditional update is the claim: of two moderators acting at once, exactly one gets the row.
        claimed = QueueItem.objects.filter(pk=item.pk, status=QueueItem.Status.OPEN).update(
            status=QueueItem.Status.RESOLVED, resolved_by=moderator, resolved_at=now, resolution=chosen[0].name,
        )
        if not claimed:
            raise AlreadyResolved(MSG_ALREADY_RESOLVED)
        QueueItem.objects.filter(pk=item.pk, first_reviewed_at__isnull=True).update(first_reviewed_at=now)
        results = [action.execute(ctx) for action in chosen]
        Report.objects.filter(item=item, closed_at__isnull=True).update(closed_at=now)
    item.refresh_from_db()
    return [result.log_entry for result in results]


# --- appeals -----------------------------------------------------------------------------------


@transaction.atomic
def appeal_create(*, appellant, log_entry: LogEntry, text: str) -> Appeal:
    """Appeal one decision about yourself; once per decision. Restricted people may appeal."""
    text = (text or "").strip()
    check_can_appeal(appellant, log_entry)
    if not log_entry.is_appealable:
        raise ValidationError(MSG_APPEAL_NOT_APPEALABLE)
    if not text or len(text) > 2000:
        raise ValidationError(MSG_APPEAL_TEXT)
    validate_visible(text)
    limit_use("appeal", appellant.pk)
    try:
        with transaction.atomic():
            return Appeal.objects.create(log_entry=log_entry, appellant=appellant, text=text)
    except IntegrityError:
        raise ValidationError(MSG_ALREADY_APPEALED) from None


def _undo(*, entry: LogEntry, moderator, reason: str) -> None:
    from forum import services as forum_services
    from rooms import services as rooms_services

    sanction = getattr(entry, "sanction", None)
    if sanction is not None:
        Sanction.objects.filter(pk=sanction.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return
    if entry.action == Action.HIDE and entry.target_kind == Target.ALERT:
        from safety import services as safety_services
        from safety.models import DrugAlert

        alert = DrugAlert.objects.filter(pk=entry.target_id).first()
        if alert is not None:
            safety_services.alert_moderate(alert=alert, status=ModerationStatus.APPROVED, by=moderator, reason=reason)
        return
    if entry.action in (Action.HIDE, Action.DELETE, Action.AUTO_HIDE):
        target = targets.resolve(entry.target_kind, entry.target_id)
        if target is None:
            return
        if target.kind == Target.POST:
            forum_services.post_moderate(post=target.obj, status=ModerationStatus.APPROVED, by=moderator, reason=reason)
        elif target.kind == Target.MESSAGE:
            rooms_services.message_approve(message=target.obj, by=moderator)


def appeal_decide(*, appeal: Appeal, moderator, overturn: bool, reason: str) -> LogEntry:
    """Keep or reverse the decision appealed against. Only a moderator who didn't take it may decide."""
    check_can_decide_appeal(moderator, appeal)
    reason = (reason or "").strip()[:500]
    if not reason:
        raise ValidationError(MSG_REASON_REQUIRED)
    validate_visible(reason)
    limit_use("moderator_action", moderator.pk)
    entry = appeal.log_entry
    with transaction.atomic():
        status = Appeal.Status.OVERTURNED if overturn else Appeal.Status.UPHELD
        claimed = Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.OPEN).update(
            status=status, decided_by=moderator, decided_at=timezone.now(), decision_reason=reason)
        if not claimed:
            raise AlreadyResolved(MSG_APPEAL_DECIDED)
        if overturn:
            _undo(entry=entry, moderator=moderator, reason=reason)
        log = _log(actor=moderator, action=Action.APPEAL_OVERTURNED if overturn else Action.APPEAL_UPHELD,
                   kind=entry.target_kind, target_id=entry.target_id, subject=entry.subject, reason=reason, category=entry.category)
        outcome = "reversed" if overturn else "kept"
        notification_send(recipient=appeal.appellant, kind="moderation",
                          text=f"Your appeal was decided: the decision is {outcome}. Reason: {reason}", url=APPEAL_URL)
    appeal.refresh_from_db()
    return log


# --- hold patterns -----------------------------------------------------------------------------


@transaction.atomic
def pattern_add(*, moderator, pattern: str, kind: str, note: str = "") -> SourcingPattern:
    _require_moderator(moderator)
    pattern = " ".join((pattern or "").split()) if kind == SourcingPattern.Kind.PHRASE else (pattern or "").strip()
    if not pattern:
        raise ValidationError(MSG_PATTERN_EMPTY)
    validate_visible(pattern)
    validate_visible((note or "").strip())
    limit_use("moderator_action", moderator.pk)
    if kind not in SourcingPattern.Kind.values:
        raise ValidationError(MSG_UNKNOWN_ACTION)
    if kind == SourcingPattern.Kind.REGEX:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValidationError(MSG_PATTERN_BAD_REGEX.format(error=error)) from None
    if SourcingPattern.objects.filter(pattern__iexact=pattern, kind=kind).exists():
        raise ValidationError(MSG_PATTERN_EXISTS)
    created = SourcingPattern.objects.create(pattern=pattern[:200], kind=kind, note=(note or "")[:200], updated_by=moderator)
    _log(actor=moderator, action=Action.PATTERN_CHANGE, reason=f"added a {created.get_kind_display()} to the hold list")
    transaction.on_commit(patterns_changed)
    return created


@transaction.atomic
def pattern_toggle(*, moderator, pattern: SourcingPattern, active: bool) -> bool:
    _require_moderator(moderator)
    limit_use("moderator_action", moderator.pk)
    changed = SourcingPattern.objects.filter(pk=pattern.pk).exclude(is_active=active).update(is_active=active, updated_by=moderator)
    if changed:
        verb = "turned on" if active else "turned off"
        _log(actor=moderator, action=Action.PATTERN_CHANGE, reason=f"{verb} a {pattern.get_kind_display()} on the hold list")
        transaction.on_commit(patterns_changed)
    return bool(changed)
