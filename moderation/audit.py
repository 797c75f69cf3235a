"""The audit record: one LogEntry per moderator decision (the public log, /mod/log/). Moderation's actions and
services write it here, and so do apps that decide on their own pages (a drug alert, say)."""

from moderation.models import LogEntry


def log_entry_write(*, actor, action: str, kind: str = "", target_id=None, subject=None, item=None, reason: str = "",
                    until=None, category: str = "", rule=None) -> LogEntry:
    """`rule`: the moderation.registry.Rule the decision rests on, copied into the entry (None: no rule named)."""
    return LogEntry.objects.create(
        actor=actor, action=action, target_kind=kind, target_id=target_id, subject=subject, item=item,
        reason=reason[:500], until=until, category=category,
        rule_number=rule.number if rule else None, rule_title=rule.title[:120] if rule else "",
    )


def audit_record(*, actor, action: str, kind: str, target_id: int, subject=None, reason: str = "", category: str = "") -> LogEntry:
    """One audit-log row for a moderator decision taken in another app (a drug alert, say)."""
    return log_entry_write(actor=actor, action=action, kind=kind, target_id=target_id, subject=subject, reason=reason,
                           category=category)
