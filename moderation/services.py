"""Writes for moderation: reports, queue decisions, sanctions, appeals, hold patterns.

Content changes only through the kinds its apps registered (moderation.registry), which call their
services. Every moderator action writes one LogEntry (the public audit log, moderation.audit).
"""

import re
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.limits import limit_use
from commons.text import validate_visible
from moderation import actions, registry, screening, targets
from moderation.actions import (  # noqa: F401  (re-exported: views and tests use services.MSG_*, sanction_apply)
    APPEAL_URL, MSG_ACTION_NOT_FOR_TARGET, MSG_DURATION_REQUIRED, MSG_NO_AUTHOR, MSG_REASON_REQUIRED, MSG_REDACT_NEEDS_TEXT,
    MSG_REDACT_UNAVAILABLE, sanction_apply,
)
from moderation.audit import audit_record, log_entry_write  # noqa: F401  (audit_record: re-exported)
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
from moderation.notices import notice_send, noun
from moderation.screening import HOLD_REASONS, patterns_changed
from moderation.trust import is_established

MSG_SIGN_IN_TO_REPORT = _("Please log in to report something.")
MSG_REPORT_REASON = _("Please choose a reason for the report.")
MSG_REPORT_OTHER_NEEDS_TEXT = _("Please say a few words about what is wrong.")
MSG_REPORT_SELF = _("You can't report yourself or your own words. You can edit or ask a moderator for help instead.")
MSG_ALREADY_REPORTED = _("You've already reported this. A moderator will look at it soon.")
MSG_REPORT_THANKS = _("Thank you. A moderator will look at your report soon.")
MSG_ALREADY_RESOLVED = _("Another moderator already resolved this item, so nothing was changed.")
MSG_UNKNOWN_ACTION = _("Please choose an action.")
MSG_UNKNOWN_CATEGORY = _("Please choose which rule or reason this decision is about.")
MSG_APPEAL_NOT_APPEALABLE = _("This decision can't be appealed.")
MSG_ALREADY_APPEALED = _("You've already appealed this decision. Each decision can be appealed once.")
MSG_APPEAL_TEXT = _("Please say why you think the decision should change (up to 2,000 characters).")
MSG_APPEAL_DECIDED = _("This appeal has already been decided, so nothing was changed.")
MSG_PATTERN_EMPTY = _("Please give a word, phrase or pattern.")
MSG_PATTERN_BAD_REGEX = _("That regular expression doesn't work: {error}")
MSG_PATTERN_EXISTS = _("That pattern is already on the list.")

REDACTED = "[removed by a moderator]"


class AlreadyResolved(Exception):
    """Someone else got there first; nothing was written."""


def _require_moderator(peer) -> None:
    check_can_moderate(peer)


# Which report reason an automatic hold stands for (screening's reason codes); "new account" stands for none.
HOLD_CATEGORIES = {"contact": ReportReason.PERSONAL_INFO, "payment": ReportReason.SOURCING, "sourcing": ReportReason.SOURCING,
                   "link": ReportReason.SPAM}


def category_suggest(item: QueueItem) -> str:
    """The category a decision on `item` is most likely about: its most common open report reason, else
    the automatic hold's reason; "" when there is neither (the decision form then asks)."""
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
    held_kind = registry.get(target.kind)
    if held_kind is None or held_kind.auto_hide is None:
        return
    changed = held_kind.auto_hide(target.obj, MSG_AUTO_HIDDEN)
    QueueItem.objects.filter(pk=item.pk).update(auto_hidden=True)
    if changed:
        log_entry_write(actor=None, action=Action.AUTO_HIDE, kind=target.kind, target_id=target.id, subject=target.author, item=item,
             reason=MSG_AUTO_HIDDEN, category=category)
        notice_send(recipient=target.author, url=APPEAL_URL, words=lambda: gettext(
            "Your %(noun)s was hidden after several reports from members; a moderator will look soon.") % {"noun": noun(targets.noun(target.kind))})


# --- decisions on queue items ------------------------------------------------------------------

RULE_OTHER = "other"
MSG_RULE_UNKNOWN = _("That rule isn't among the community's current rules (they may have just changed): please choose again.")
MSG_RULE_OTHER_NEEDS_REASON = _("You chose “other”: please say in the reason what the decision rests on.")


def _rule_chosen(rule: str, *, reason: str) -> registry.Rule | None:
    """The current rule a decision names (None for none, or "other" with a reason); ValidationError otherwise."""
    rule = str(rule or "").strip()
    if not rule:
        return None
    if rule == RULE_OTHER:
        if not reason:
            raise ValidationError(MSG_RULE_OTHER_NEEDS_REASON)
        return None
    for current in registry.current_rules():
        if str(current.number) == rule:
            return current
    raise ValidationError(MSG_RULE_UNKNOWN)



def redact_suggestion(text: str) -> str:
    """The text with anything that looks like contact details or a payment handle replaced."""
    for pattern in (screening._EMAIL, screening._PHONE, screening._STREET, screening._PAYMENT):
        text = pattern.sub(REDACTED, text)
    return text


def item_decide(*, item: QueueItem, moderator, content_action: str = "", sanction: str = "", reason: str = "",
                hours: float | None = None, redacted_body: str = "", category: str = "", rule: str = "") -> list[LogEntry]:
    """Resolve one queue item: a content action (approve, hide, delete, redact, dismiss) and/or a sanction
    on its author, under a rule or reason `category` (a ReportReason; by default category_suggest's) and the
    community rule `rule` it rests on (a current rule's number, RULE_OTHER with a reason, or "" for none).
    Validates everything first; raises AlreadyResolved, writing nothing, if another moderator resolved
    the item first. Returns the audit rows written."""
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
                          category=category or category_suggest(item) or ReportReason.OTHER,
                          rule=_rule_chosen(rule, reason=(reason or "").strip()))
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
    sanction = getattr(entry, "sanction", None)
    if sanction is not None:
        Sanction.objects.filter(pk=sanction.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return
    held_kind = registry.get(entry.target_kind)
    if entry.action in (Action.HIDE, Action.DELETE, Action.AUTO_HIDE) and held_kind is not None and held_kind.restore is not None:
        target = targets.resolve(entry.target_kind, entry.target_id)
        if target is not None:
            held_kind.restore(target.obj, moderator, reason)


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
        log = log_entry_write(actor=moderator, action=Action.APPEAL_OVERTURNED if overturn else Action.APPEAL_UPHELD,
                   kind=entry.target_kind, target_id=entry.target_id, subject=entry.subject, reason=reason, category=entry.category)
        decided = (gettext_noop("Your appeal was decided: the decision is reversed. Reason: %(reason)s") if overturn
                   else gettext_noop("Your appeal was decided: the decision is kept. Reason: %(reason)s"))
        notice_send(recipient=appeal.appellant, url=APPEAL_URL, words=lambda: gettext(decided) % {"reason": reason})
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
    log_entry_write(actor=moderator, action=Action.PATTERN_CHANGE, reason=f"added a {created.get_kind_display()} to the hold list")
    transaction.on_commit(patterns_changed)
    return created


@transaction.atomic
def pattern_toggle(*, moderator, pattern: SourcingPattern, active: bool) -> bool:
    _require_moderator(moderator)
    limit_use("moderator_action", moderator.pk)
    changed = SourcingPattern.objects.filter(pk=pattern.pk).exclude(is_active=active).update(is_active=active, updated_by=moderator)
    if changed:
        verb = "turned on" if active else "turned off"
        log_entry_write(actor=moderator, action=Action.PATTERN_CHANGE, reason=f"{verb} a {pattern.get_kind_display()} on the hold list")
        transaction.on_commit(patterns_changed)
    return bool(changed)
