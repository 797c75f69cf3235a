"""Moderator actions on a queue item as small objects: `validate()` then `execute()`.

Each `execute()` writes exactly one audit row and returns a frozen ActionResult. `services.item_decide`
drives them: validate all, claim the item, execute each. Content changes go through the kind its app
registered (moderation.registry), which calls that app's services.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.realtime import CLOSE_FORBIDDEN, person_sockets_close
from moderation import registry, targets
from moderation.audit import log_entry_write
from moderation.models import Action, LogEntry, QueueItem, Sanction, Target
from moderation.notices import notice_send, noun, under, until
from moderation.permissions import check_can_act_on

MSG_REASON_REQUIRED = _("Please give a reason: the person affected and the public log will see it.")
MSG_DURATION_REQUIRED = _("Please choose how long this should last (up to a year).")
MSG_ACTION_NOT_FOR_TARGET = _("That action doesn't apply to this item.")
MSG_REDACT_NEEDS_TEXT = _("Please give the text with the personal information taken out.")
MSG_REDACT_UNAVAILABLE = _("Redacting isn't available for this kind of content yet; hide it instead.")
MSG_NO_AUTHOR = _("This was written by a former member, so there is nobody to sanction.")
APPEAL_URL = "/appeal/"

SANCTION_MAX_HOURS = 24 * 365  # a timed mute or suspension lasts at most a year; longer is a ban


@dataclass
class Context:
    item: QueueItem
    target: object  # targets.Resolved, or None when the content is gone
    moderator: object
    reason: str = ""
    hours: float | None = None
    redacted_body: str = ""
    category: str = ""  # the rule or reason category (a ReportReason value) the public log shows
    rule: registry.Rule | None = None  # the community rule the decision rests on (None: none named, or "other")
    extra: dict = field(default_factory=dict)

    @property
    def noun(self) -> str:
        return targets.noun(self.item.target_kind)


@dataclass(frozen=True)
class ActionResult:
    action: str
    changed: bool
    log_entry: LogEntry


class ModAction:
    name: str = ""
    on_content = True  # acts on a post or message (False: on the person)
    needs_reason = True

    def validate(self, ctx: Context) -> None:
        if self.needs_reason and not ctx.reason:
            raise ValidationError(MSG_REASON_REQUIRED)
        if self.on_content and (ctx.target is None or ctx.item.target_kind == Target.USER):
            raise ValidationError(MSG_ACTION_NOT_FOR_TARGET)
        check_can_act_on(ctx.moderator, ctx.target.author if ctx.target is not None else None)

    def execute(self, ctx: Context) -> ActionResult:
        raise NotImplementedError

    def _log(self, ctx: Context, action: str | None = None, **fields) -> LogEntry:
        action = action or self.name
        # Approving or dismissing finds no rule broken, so it carries no category.
        breaks_rule = action not in (Action.APPROVE, Action.DISMISS)
        return log_entry_write(actor=ctx.moderator, action=action, kind=ctx.item.target_kind, target_id=ctx.item.target_id,
                             subject=ctx.target.author if ctx.target else ctx.item.subject, item=ctx.item, reason=ctx.reason,
                             category=ctx.category if breaks_rule else "", rule=ctx.rule if breaks_rule else None, **fields)


class Approve(ModAction):
    """Publish held content; on content that was public all along it dismisses the reports."""

    name, needs_reason = Action.APPROVE, False

    def execute(self, ctx):
        target = ctx.target
        changed = registry.get(target.kind).approve(target.obj, ctx.moderator)
        if not changed:
            ctx.reason = ctx.reason or "no rule broken"
            return ActionResult(Action.DISMISS, False, self._log(ctx, Action.DISMISS))
        notice_send(recipient=target.author, url=target.url,
                    words=lambda: gettext("Your %(noun)s was approved and is now public.") % {"noun": noun(ctx.noun)})
        return ActionResult(self.name, True, self._log(ctx))


class Hide(ModAction):
    """Only moderators (and an appeal) can see it afterwards."""

    name = Action.HIDE
    done = gettext_noop("Your %(noun)s was hidden by a moderator.")

    def execute(self, ctx):
        target = ctx.target
        # Hide and delete both leave the content removed (rejected) so that an appeal can restore it;
        # "delete" records that it is not coming back unless an appeal succeeds.
        changed = registry.get(target.kind).reject(target.obj, ctx.moderator, ctx.reason)
        notice_send(recipient=target.author, url=APPEAL_URL, words=lambda: (
            gettext(self.done) % {"noun": noun(ctx.noun)} + under(ctx.rule) + " " + gettext("Reason: %(reason)s") % {"reason": ctx.reason}))
        return ActionResult(self.name, changed, self._log(ctx))


class Delete(Hide):
    name = Action.DELETE
    done = gettext_noop("Your %(noun)s was removed by a moderator.")


class Redact(ModAction):
    """Edit out the personal information and keep the rest (for kinds that registered a redact: posts, room
    messages; held texts are approved or turned down, their author rewrites them)."""

    name = Action.REDACT

    def validate(self, ctx):
        super().validate(ctx)
        if not ctx.redacted_body.strip():
            raise ValidationError(MSG_REDACT_NEEDS_TEXT)
        if self._redactor(ctx) is None:
            raise ValidationError(MSG_REDACT_UNAVAILABLE)

    def _redactor(self, ctx):
        held_kind = registry.get(ctx.item.target_kind)
        return held_kind.redact if held_kind is not None else None

    def execute(self, ctx):
        target = ctx.target
        changed = self._redactor(ctx)(target.obj, ctx.redacted_body, ctx.moderator, ctx.reason)
        notice_send(recipient=target.author, url=target.url, words=lambda: (
            gettext("A moderator edited personal information out of your %(noun)s; the rest is public.") % {"noun": noun(ctx.noun)}
            + under(ctx.rule) + " " + gettext("Reason: %(reason)s") % {"reason": ctx.reason}))
        return ActionResult(self.name, bool(changed), self._log(ctx))


class Dismiss(ModAction):
    """Nothing wrong: close the reports, change nothing."""

    name, on_content, needs_reason = Action.DISMISS, False, False

    def validate(self, ctx):
        pass

    def execute(self, ctx):
        ctx.reason = ctx.reason or "no rule broken"
        return ActionResult(self.name, False, self._log(ctx))


class SanctionAction(ModAction):
    """Warn, mute, suspend or ban the author of the content (or the member reported)."""

    on_content = False
    timed = False

    def validate(self, ctx):
        super().validate(ctx)
        if ctx.target is None or ctx.target.author is None:
            raise ValidationError(MSG_NO_AUTHOR)
        if self.timed and not (isinstance(ctx.hours, (int, float)) and math.isfinite(ctx.hours)
                               and 0 < ctx.hours <= SANCTION_MAX_HOURS):
            raise ValidationError(MSG_DURATION_REQUIRED)

    def execute(self, ctx):
        sanction = sanction_apply(peer=ctx.target.author, action=self.name, moderator=ctx.moderator, reason=ctx.reason,
                                  hours=ctx.hours, item=ctx.item, category=ctx.category, rule=ctx.rule)
        return ActionResult(self.name, True, sanction.log_entry)


class Warn(SanctionAction):
    name = Action.WARN


class Mute(SanctionAction):
    name, timed = Action.MUTE, True


class Suspend(SanctionAction):
    name, timed = Action.SUSPEND, True


class Ban(SanctionAction):
    name = Action.BAN


CONTENT_ACTIONS = {action.name: action for action in (Approve(), Hide(), Delete(), Redact(), Dismiss())}
SANCTIONS = {action.name: action for action in (Warn(), Mute(), Suspend(), Ban())}
SANCTION_KINDS = {Action.WARN: Sanction.Kind.WARN, Action.MUTE: Sanction.Kind.MUTE,
                  Action.SUSPEND: Sanction.Kind.SUSPEND, Action.BAN: Sanction.Kind.BAN}


def sanction_apply(*, peer, action: str, moderator, reason: str, hours: float | None = None, item: QueueItem | None = None,
                   category: str = "", rule: registry.Rule | None = None) -> Sanction:
    """Warn, mute, suspend or ban `peer`: the Sanction, its audit row, and a notice to the person.
    The caller has validated and holds a transaction."""
    now = timezone.now()
    timed = action in (Action.MUTE, Action.SUSPEND)
    ends = now + timedelta(hours=hours) if timed else (now if action == Action.WARN else None)
    entry = log_entry_write(actor=moderator, action=action, kind=Target.USER, target_id=peer.pk, subject=peer, item=item,
                          reason=reason, until=ends if timed else None, category=category, rule=rule)
    sanction = Sanction.objects.create(peer=peer, kind=SANCTION_KINDS[action], reason=reason[:500], starts=now, ends=ends, log_entry=entry)
    if action in (Action.SUSPEND, Action.BAN):  # their open sockets close (4403) once this commits, on every process
        person_sockets_close(peer_id=peer.pk, code=CLOSE_FORBIDDEN)
    notice_send(recipient=peer, url=APPEAL_URL, words=lambda: _sanction_words(action, ends=ends, rule=rule, reason=reason))
    return sanction


def _sanction_words(action: str, *, ends, rule, reason: str) -> str:
    """The notice of a sanction, in the active language (moderation.notices.notice_send picks the person's)."""
    if action == Action.WARN:
        return gettext("A moderator sent you a warning.") + under(rule) + " " + gettext("Reason: %(reason)s") % {"reason": reason}
    if action == Action.BAN:
        state = gettext("Your account is banned.")
    elif action == Action.MUTE:
        state = gettext("Your account is muted until %(until)s.") % {"until": until(ends)}
    else:
        state = gettext("Your account is suspended until %(until)s.") % {"until": until(ends)}
    return state + under(rule) + " " + gettext("Reason: %(reason)s. You can appeal.") % {"reason": reason}
