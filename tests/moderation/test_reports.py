import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import escape

from commons.limits import RateLimited
from moderation import services, targets
from moderation.models import Action, LogEntry, ModerationStatus, QueueItem, Report
from peers.models import Notification
from tests.conftest import make_peer


def _report(client, target, reason="spam", text="", **extra):
    return client.post("/report/", {"target": target, "reason": reason, "text": text, **extra})


def test_member_reports_a_post_and_is_thanked(auth_client, other_peer, post_factory):
    post = post_factory(author=other_peer)
    response = _report(auth_client, f"post:{post.pk}", "sourcing")
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    item = QueueItem.objects.get(target_kind="post", target_id=post.pk)
    assert item.report_count == 1 and item.subject == other_peer


def test_report_form_shows_the_reasons(auth_client, other_peer, post_factory):
    post = post_factory(author=other_peer)
    page = auth_client.get(f"/report/?target=post:{post.pk}").content.decode()
    for label in ("sourcing or selling", "personal information", "harassment", "spam", "dangerous advice", "something else"):
        assert label in page


def test_member_reports_a_room_message_and_a_member(auth_client, other_peer, message_factory):
    message = message_factory(author=other_peer)
    assert _report(auth_client, f"message:{message.pk}", "harassment").status_code == 302
    assert _report(auth_client, f"user:{other_peer.username.upper()}", "harassment").status_code == 302
    assert set(QueueItem.objects.values_list("target_kind", "target_id")) == {("message", message.pk), ("user", other_peer.pk)}


def test_one_open_report_per_reporter_and_target(auth_client, other_peer, post_factory):
    post = post_factory(author=other_peer)
    _report(auth_client, f"post:{post.pk}")
    response = _report(auth_client, f"post:{post.pk}", "harassment")
    assert response.status_code == 400
    assert escape(services.MSG_ALREADY_REPORTED) in response.content.decode()
    assert Report.objects.count() == 1


def test_reports_on_one_target_gather_into_one_item(db, other_peer, post_factory):
    post = post_factory(author=other_peer)
    for _ in range(2):
        services.report_create(reporter=make_peer(), target_ref=f"post:{post.pk}", reason="spam")
    item = QueueItem.objects.get()
    assert item.report_count == 2 and item.reports.count() == 2


def test_other_reason_needs_words(auth_client, other_peer, post_factory):
    post = post_factory(author=other_peer)
    response = _report(auth_client, f"post:{post.pk}", "other")
    assert response.status_code == 400
    assert escape(services.MSG_REPORT_OTHER_NEEDS_TEXT) in response.content.decode()
    assert not Report.objects.exists()


def test_bad_target_is_refused_readably(auth_client):
    response = _report(auth_client, "post:999999")
    assert response.status_code == 400
    assert escape(targets.MSG_BAD_TARGET) in response.content.decode()
    assert not QueueItem.objects.exists()


def test_reporting_yourself_is_refused(auth_client, peer, post_factory):
    post = post_factory(author=peer)
    response = _report(auth_client, f"post:{post.pk}")
    assert response.status_code == 400
    assert escape(services.MSG_REPORT_SELF) in response.content.decode()


def test_anonymous_report_is_refused(client, other_peer, post_factory):
    post = post_factory(author=other_peer)
    assert _report(client, f"post:{post.pk}").status_code == 403
    assert client.get("/report/").status_code == 302
    assert not Report.objects.exists()


def test_report_redirect_ignores_other_hosts(auth_client, other_peer, post_factory):
    post = post_factory(author=other_peer)
    response = _report(auth_client, f"post:{post.pk}", next="https://elsewhere.example/")
    assert response["Location"] == post.get_absolute_url()


def _publish_first_post(post):
    from forum import services as forum_services

    forum_services.post_moderate(post=post.thread.posts.order_by("id").first(), status=ModerationStatus.APPROVED, by=None)


def test_threshold_of_established_members_hides_the_post(trust_on, established_factory, post_factory):
    post = post_factory(author=established_factory())
    _publish_first_post(post)  # the thread's opening post (by a new account) was held: nobody could see the thread
    reporters = [established_factory() for _ in range(3)]
    for reporter in reporters[:2]:
        services.report_create(reporter=reporter, target_ref=f"post:{post.pk}", reason="sourcing")
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED
    services.report_create(reporter=reporters[2], target_ref=f"post:{post.pk}", reason="sourcing")
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.PENDING
    assert QueueItem.objects.get(report_count__gt=0).auto_hidden
    entry = LogEntry.objects.get(action=Action.AUTO_HIDE)
    assert entry.actor is None and entry.target_id == post.pk
    assert Notification.objects.filter(recipient=post.author, text__contains="hidden after several reports").exists()


def test_reports_from_new_accounts_do_not_hide(trust_on, established_factory, post_factory):
    post = post_factory(author=established_factory())
    _publish_first_post(post)
    for _ in range(5):
        services.report_create(reporter=make_peer(), target_ref=f"post:{post.pk}", reason="spam")
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED
    assert QueueItem.objects.get(report_count__gt=0).report_count == 5


def test_threshold_hides_a_room_message(db, settings, other_peer, message_factory):
    settings.MODERATION_REPORT_THRESHOLD = 2
    message = message_factory(author=other_peer)
    for _ in range(2):
        services.report_create(reporter=make_peer(), target_ref=f"message:{message.pk}", reason="harassment")
    message.refresh_from_db()
    assert message.moderation_status == ModerationStatus.REJECTED


def test_muted_member_cannot_report_in_bulk(db, peer, moderator, post_factory):
    services.sanction_apply(peer=peer, action=Action.MUTE, moderator=moderator, reason="cool off", hours=24)
    posts = [post_factory(author=make_peer()) for _ in range(4)]
    for post in posts[:3]:
        services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
    with pytest.raises(RateLimited) as refused:
        services.report_create(reporter=peer, target_ref=f"post:{posts[3].pk}", reason="spam")
    assert "at most 3 reports in 24 hours" in str(refused.value)
    assert Report.objects.count() == 3


def test_report_rate_limit_answers_429(auth_client, settings, other_peer, post_factory):
    settings.RATE_LIMITS = {"report": (2, 3600)}
    posts = [post_factory(author=other_peer) for _ in range(3)]
    assert [_report(auth_client, f"post:{p.pk}").status_code for p in posts] == [302, 302, 429]
    assert Report.objects.count() == 2


def test_a_resolved_target_can_be_reported_again(db, peer, moderator, other_peer, post_factory):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action=Action.DISMISS)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
    assert QueueItem.objects.filter(status=QueueItem.Status.OPEN).count() == 1


def test_report_link_snippet_points_at_the_report_form(rf, peer):
    from django.template.loader import render_to_string

    request = rf.get("/t/1/")
    request.user = peer
    html = render_to_string("moderation/_report_link.html", {"kind": "post", "id": 12, "user": peer, "request": request})
    assert 'href="/report/?target=post:12&amp;next=/t/1/"' in html


def test_report_page_from_the_link_has_a_next_field(auth_client, other_peer, post_factory):
    post = post_factory(author=other_peer)
    page = auth_client.get(f"/report/?target=post:{post.pk}&next=/t/{post.thread_id}/").content.decode()
    assert f'name="next" value="/t/{post.thread_id}/"' in page and f"post #{post.pk}" in page
