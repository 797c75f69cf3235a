"""Log entries older than MODERATION_LOG_DETAIL_DAYS are kept only as monthly counts, honestly: every
entry is counted before it goes, the figures never move, each run leaves a record, and entries that still
matter (an open appeal, a sanction in force) stay."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from moderation import compaction, services, transparency
from moderation.models import Action, Appeal, LogCompaction, LogEntry, LogMonth, QueueItem, ReportReason, Target
from tests.conftest import make_peer

pytestmark = pytest.mark.django_db


def _entry(*, days_ago: float, action=Action.HIDE, kind=Target.POST, category=ReportReason.SPAM, actor=None, subject=None, until=None):
    entry = LogEntry.objects.create(actor=actor, action=action, target_kind=kind, target_id=1, category=category, subject=subject,
                                    reason="moderator's words", until=until)
    LogEntry.objects.filter(pk=entry.pk).update(created=timezone.now() - timedelta(days=days_ago))
    return LogEntry.objects.get(pk=entry.pk)


def _figures():
    return [(m.key, dict(m.actions), m.appealed, m.overturned) for m in transparency.monthly_figures(months=24)]


def test_old_entries_become_monthly_counts_and_recent_ones_stay(moderator):
    old = [_entry(days_ago=400, actor=moderator), _entry(days_ago=401, actor=moderator), _entry(days_ago=402, action=Action.WARN, kind=Target.USER)]
    recent = _entry(days_ago=10, actor=moderator)
    result = compaction.log_compact()
    assert result.entries == 3
    assert list(LogEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert sum(LogMonth.objects.values_list("count", flat=True)) == 3
    hides = LogMonth.objects.get(action=Action.HIDE)
    assert (hides.count, hides.target_kind, hides.category) == (2, Target.POST, ReportReason.SPAM)
    assert hides.month.day == 1
    record = LogCompaction.objects.get()
    assert record.entries == 3 and record.oldest == old[2].created and record.newest == old[0].created


def test_the_transparency_figures_are_the_same_before_and_after(moderator, other_peer):
    for days in (390, 395, 420, 500, 30, 2):
        _entry(days_ago=days, actor=moderator)
    _entry(days_ago=405, action=Action.APPROVE, category="")
    appealed = _entry(days_ago=398, action=Action.DELETE, subject=other_peer, actor=moderator)
    Appeal.objects.create(log_entry=appealed, appellant=other_peer, text="please", status=Appeal.Status.OVERTURNED)
    before = _figures()
    assert compaction.log_compact().entries == 6
    assert _figures() == before
    assert LogMonth.objects.filter(overturned=1, appealed=1).count() == 1


def test_an_entry_with_an_open_appeal_stays_until_it_is_decided(moderator, other_peer):
    entry = _entry(days_ago=500, subject=other_peer, actor=moderator)
    appeal = Appeal.objects.create(log_entry=entry, appellant=other_peer, text="please look again")
    assert compaction.log_compact().entries == 0
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    Appeal.objects.filter(pk=appeal.pk).update(status=Appeal.Status.UPHELD)
    assert compaction.log_compact().entries == 1


def test_a_sanction_still_in_force_stays_in_detail(moderator, other_peer):
    services.sanction_apply(peer=other_peer, action=Action.BAN, moderator=moderator, reason="spam bot")
    expired_mute = services.sanction_apply(peer=make_peer(), action=Action.MUTE, moderator=moderator, reason="cool off", hours=1)
    LogEntry.objects.update(created=timezone.now() - timedelta(days=400))
    expired_mute.__class__.objects.filter(pk=expired_mute.pk).update(ends=timezone.now() - timedelta(days=399))
    assert compaction.log_compact().entries == 1
    assert list(LogEntry.objects.values_list("action", flat=True)) == [Action.BAN]
    page = Client()
    page.force_login(other_peer)
    assert "spam bot" in page.get("/settings/").content.decode()  # still appealable by the person


def test_running_again_folds_nothing_more(moderator):
    _entry(days_ago=400, actor=moderator)
    assert compaction.log_compact().entries == 1
    counts = list(LogMonth.objects.values_list("count", flat=True))
    assert compaction.log_compact().entries == 0
    assert list(LogMonth.objects.values_list("count", flat=True)) == counts
    assert LogCompaction.objects.count() == 1


def test_later_entries_of_the_same_month_add_to_its_count(moderator):
    first = _entry(days_ago=400, actor=moderator)
    compaction.log_compact()
    second = _entry(days_ago=400, actor=moderator)
    assert transparency.month_start(first.created) == transparency.month_start(second.created)
    compaction.log_compact()
    assert LogMonth.objects.get().count == 2


def test_batches_each_leave_a_record(moderator):
    for days in range(400, 405):
        _entry(days_ago=days, actor=moderator)
    result = compaction.log_compact(batch_size=2)
    assert (result.entries, result.batches) == (5, 3)
    assert sorted(LogCompaction.objects.values_list("entries", flat=True)) == [1, 2, 2]


def test_a_count_that_does_not_match_writes_nothing(moderator, monkeypatch):
    _entry(days_ago=400, actor=moderator)
    monkeypatch.setattr(LogEntry.objects.none().__class__, "_fold_delete", lambda self: 0)
    with pytest.raises(compaction.CountMismatch):
        compaction.log_compact()
    assert LogEntry.objects.count() == 1 and not LogMonth.objects.exists() and not LogCompaction.objects.exists()


def test_the_detail_window_is_a_setting(settings, moderator):
    settings.MODERATION_LOG_DETAIL_DAYS = 30
    _entry(days_ago=40, actor=moderator)
    _entry(days_ago=20, actor=moderator)
    assert compaction.log_compact().entries == 1


def test_nothing_else_can_delete_entries(moderator):
    entry = _entry(days_ago=1, actor=moderator)
    with pytest.raises(PermissionError):
        LogEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        LogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        entry.delete()
    record = LogCompaction.objects.create(cutoff=timezone.now(), entries=0, oldest=timezone.now(), newest=timezone.now())
    with pytest.raises(PermissionError):
        record.delete()
    record.entries = 99
    with pytest.raises(PermissionError):
        record.save()
    assert LogEntry.objects.count() == 1


def test_the_command_folds_and_says_how_many(moderator, capsys):
    _entry(days_ago=400, actor=moderator)
    call_command("moderation_log_compact")
    assert "Folded 1 log entries" in capsys.readouterr().out
    assert not LogEntry.objects.exists()


def test_the_public_log_says_older_entries_are_counts(moderator):
    _entry(days_ago=400, actor=moderator)
    compaction.log_compact()
    page = Client().get("/mod/log/").content.decode()
    assert "only its monthly count is kept" in page and "1 older decision so far" in page


def test_a_queue_item_and_its_sanction_outlive_the_entry(moderator, peer, other_peer, post_factory):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action="hide", sanction="warn", reason="ads")
    LogEntry.objects.update(created=timezone.now() - timedelta(days=400))
    assert compaction.log_compact().entries == 2
    assert QueueItem.objects.get().status == QueueItem.Status.RESOLVED
    assert other_peer.sanctions.get().log_entry is None
