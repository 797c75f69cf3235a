from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from moderation import selectors, services
from moderation.models import Action, Appeal, LogEntry, ModerationStatus, QueueItem, Report
from moderation.sanctions import active_restriction
from peers.models import Notification
from tests.conftest import make_peer


def _hidden_post(peer, moderator, other_peer, post_factory, body="You should double your dose to feel it"):
    post = post_factory(author=other_peer, body=body)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="dangerous_advice")
    services.item_decide(item=QueueItem.objects.get(status="open"), moderator=moderator, content_action=Action.HIDE,
                         sanction=Action.MUTE, hours=24, reason="dangerous dosing advice")
    return post


# --- the public log ----------------------------------------------------------------------------


def test_log_shows_the_moderator_action_kind_and_category_but_never_the_member_or_content(auth_client, peer, moderator, other_peer, post_factory):
    post = _hidden_post(peer, moderator, other_peer, post_factory)
    page = auth_client.get("/mod/log/").content.decode()
    assert moderator.username in page and "dangerous advice" in page
    assert "hidden" in page and "muted for 1 day" in page and "forum post" in page and "account" in page
    assert other_peer.username not in page and f"#{post.pk}" not in page
    assert "dangerous dosing advice" not in page  # the moderator's words go to the member, not the public
    assert "double your dose" not in page


def test_log_is_public(client, db):
    assert client.get("/mod/log/").status_code == 200


def test_log_query_count_is_flat(auth_client, django_assert_max_num_queries, moderator, peer, post_factory):
    for _ in range(10):
        services.sanction_apply(peer=make_peer(), action=Action.WARN, moderator=moderator, reason="be kind")
    with django_assert_max_num_queries(10):
        assert auth_client.get("/mod/log/").status_code == 200


def test_log_rows_cannot_be_edited_or_deleted(db, moderator, peer):
    services.sanction_apply(peer=peer, action=Action.WARN, moderator=moderator, reason="be kind")
    entry = LogEntry.objects.get()
    entry.reason = "something else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert LogEntry.objects.get().reason == "be kind"


def test_log_has_no_edit_or_delete_urls(moderator_client, moderator, peer):
    services.sanction_apply(peer=peer, action=Action.WARN, moderator=moderator, reason="be kind")
    entry = LogEntry.objects.get()
    for path in (f"/mod/log/{entry.pk}/", f"/mod/log/{entry.pk}/edit/", f"/mod/log/{entry.pk}/delete/"):
        assert moderator_client.post(path).status_code == 404


def test_pattern_changes_are_logged(db, moderator):
    services.pattern_add(moderator=moderator, pattern="re-up", kind="phrase")
    entry = LogEntry.objects.get()
    assert entry.action == Action.PATTERN_CHANGE and entry.actor == moderator and "re-up" not in entry.reason


# --- appeals -----------------------------------------------------------------------------------


def test_sanctioned_person_appeals_once(client, peer, moderator, other_peer, post_factory):
    _hidden_post(peer, moderator, other_peer, post_factory)
    client.force_login(other_peer)
    page = client.get("/appeal/").content.decode()
    assert "dangerous dosing advice" in page
    mute = LogEntry.objects.get(action=Action.MUTE)
    assert client.post(f"/appeal/{mute.pk}/", {"text": "It was a joke between friends"}).status_code == 302
    again = client.post(f"/appeal/{mute.pk}/", {"text": "Please look again"})
    assert again.status_code == 400 and escape(services.MSG_ALREADY_APPEALED) in again.content.decode()
    assert Appeal.objects.count() == 1
    hide = LogEntry.objects.get(action=Action.HIDE)
    assert client.post(f"/appeal/{hide.pk}/", {"text": "The post was fine"}).status_code == 302  # once per action
    assert Appeal.objects.count() == 2


def test_only_the_person_concerned_can_appeal(client, peer, moderator, other_peer, post_factory):
    _hidden_post(peer, moderator, other_peer, post_factory)
    client.force_login(peer)
    response = client.post(f"/appeal/{LogEntry.objects.get(action=Action.MUTE).pk}/", {"text": "unfair"})
    assert response.status_code == 403 and escape(services.MSG_APPEAL_NOT_YOURS) in response.content.decode()
    assert not Appeal.objects.exists()


def test_banned_person_can_still_appeal(db, moderator, peer):
    services.sanction_apply(peer=peer, action=Action.BAN, moderator=moderator, reason="spam")
    appeal = services.appeal_create(appellant=peer, log_entry=LogEntry.objects.get(), text="I was hacked")
    assert appeal.status == Appeal.Status.OPEN


def test_the_moderator_who_acted_cannot_decide_the_appeal(moderator_client, peer, moderator, other_peer, post_factory):
    _hidden_post(peer, moderator, other_peer, post_factory)
    appeal = services.appeal_create(appellant=other_peer, log_entry=LogEntry.objects.get(action=Action.MUTE), text="unfair")
    response = moderator_client.post(f"/mod/appeals/{appeal.pk}/", {"outcome": "overturn", "reason": "fine"})
    assert response.status_code == 403 and escape(services.MSG_APPEAL_SAME_MODERATOR) in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_member_cannot_decide_appeals(auth_client, peer, moderator, other_peer, post_factory):
    _hidden_post(peer, moderator, other_peer, post_factory)
    appeal = services.appeal_create(appellant=other_peer, log_entry=LogEntry.objects.get(action=Action.MUTE), text="unfair")
    assert auth_client.post(f"/mod/appeals/{appeal.pk}/", {"outcome": "overturn", "reason": "fine"}).status_code == 403


def test_another_moderator_overturns_a_mute_and_restores_the_post(client, peer, moderator, second_moderator, other_peer, post_factory):
    post = _hidden_post(peer, moderator, other_peer, post_factory)
    mute_appeal = services.appeal_create(appellant=other_peer, log_entry=LogEntry.objects.get(action=Action.MUTE), text="unfair")
    hide_appeal = services.appeal_create(appellant=other_peer, log_entry=LogEntry.objects.get(action=Action.HIDE), text="fine post")
    assert active_restriction(other_peer) is not None
    client.force_login(second_moderator)
    assert client.get("/mod/appeals/").status_code == 200
    for appeal in (mute_appeal, hide_appeal):
        assert client.post(f"/mod/appeals/{appeal.pk}/", {"outcome": "overturn", "reason": "context was missed"}).status_code == 302
    assert active_restriction(other_peer) is None
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED
    assert LogEntry.objects.filter(action=Action.APPEAL_OVERTURNED, actor=second_moderator).count() == 2
    assert Notification.objects.filter(recipient=other_peer, text__contains="decision is reversed").count() == 2
    again = client.post(f"/mod/appeals/{mute_appeal.pk}/", {"outcome": "uphold", "reason": "changed my mind"})
    assert again.status_code == 409 and escape(services.MSG_APPEAL_DECIDED) in again.content.decode()


def test_upheld_appeal_keeps_the_sanction(db, peer, moderator, second_moderator, other_peer, post_factory):
    _hidden_post(peer, moderator, other_peer, post_factory)
    appeal = services.appeal_create(appellant=other_peer, log_entry=LogEntry.objects.get(action=Action.MUTE), text="unfair")
    services.appeal_decide(appeal=appeal, moderator=second_moderator, overturn=False, reason="the advice was dangerous")
    assert active_restriction(other_peer) is not None
    assert LogEntry.objects.filter(action=Action.APPEAL_UPHELD).exists()


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_open_items_median_and_svg_chart(moderator_client, moderator, peer, other_peer, post_factory):
    for _ in range(3):
        services.report_create(reporter=make_peer(), target_ref=f"post:{post_factory(author=other_peer).pk}", reason="spam")
    Report.objects.filter(pk=Report.objects.first().pk).update(created=timezone.now() - timedelta(days=3))
    item = QueueItem.objects.order_by("id").first()
    services.item_decide(item=item, moderator=moderator, content_action=Action.DISMISS)
    page = moderator_client.get("/mod/dashboard/").content.decode()
    assert "<svg" in page and page.count("<rect") == 30
    assert "3 reports from" in page
    assert "Open items" in page and ">2<" in page


def test_median_time_to_first_review(db, moderator, other_peer, post_factory):
    now = timezone.now()
    for minutes in (10, 30, 90):
        QueueItem.objects.create(target_kind="post", target_id=minutes, created=now - timedelta(minutes=minutes), first_reviewed_at=now,
                                 status=QueueItem.Status.RESOLVED)
    assert selectors.median_first_review() == timedelta(minutes=30)


def test_chart_bars_scale_to_the_busiest_day(db):
    today = timezone.now().date()
    series = [(today - timedelta(days=2), 0), (today - timedelta(days=1), 2), (today, 4)]
    chart = selectors.chart_bars(series)
    heights = [bar.height for bar in chart["bars"]]
    assert heights[0] == 0 and heights[2] == 2 * heights[1] and chart["peak"] == 4


def test_export_includes_my_reports_and_decisions(auth_client, peer, moderator, other_peer, post_factory):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam", text="ads")
    services.sanction_apply(peer=peer, action=Action.WARN, moderator=moderator, reason="be kind")
    from peers.export import peer_data_export

    document = peer_data_export(peer=peer)["moderation"]
    assert document["reports_filed"][0]["text"] == "ads"
    assert document["decisions_about_me"][0]["action"] == "warn"


@pytest.mark.parametrize(("span", "words"), [
    (None, "no reviews yet"), (timedelta(seconds=20), "under a minute"), (timedelta(minutes=42), "42 min"),
    (timedelta(minutes=90), "1 h 30 min"), (timedelta(days=2, hours=3, minutes=5), "2 d 3 h"),
])
def test_duration_words(span, words):
    assert selectors.duration_words(span) == words
