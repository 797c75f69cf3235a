"""Drug alerts over HTTP: who may post, pre-moderation, expiry and archive, "seen it too", bad input."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape

from commons.limits import LIMITS
from moderation.models import ModerationStatus
from safety import selectors, services, views
from safety.models import ALERT_MAX_DAYS, AlertSighting, DrugAlert
from safety.permissions import MSG_NOT_ESTABLISHED, MSG_SIGN_IN, check_can_post_alert
from tests.safety.conftest import ALERT_FORM

pytestmark = pytest.mark.django_db


def _not_established_message(settings) -> str:
    return MSG_NOT_ESTABLISHED.format(days=settings.SAFETY_ESTABLISHED_DAYS, posts=settings.SAFETY_ESTABLISHED_POSTS)


def test_visitor_is_sent_to_log_in(client):
    response = client.post("/alerts/new/", ALERT_FORM)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not DrugAlert.objects.exists()


def test_new_member_may_not_post_an_alert(client, peer, settings):
    client.force_login(peer)
    for response in (client.get("/alerts/new/"), client.post("/alerts/new/", ALERT_FORM)):
        assert response.status_code == 403
        assert escape(_not_established_message(settings)) in response.content.decode()
    assert not DrugAlert.objects.exists()


def test_young_account_with_posts_is_not_established(peer, settings):
    settings.SAFETY_ESTABLISHED_POSTS = 0
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        check_can_post_alert(peer)  # joined today: younger than SAFETY_ESTABLISHED_DAYS


def test_anonymous_service_call_is_refused(db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match=str(MSG_SIGN_IN)):
        services.alert_create(author=AnonymousUser(), **{k: v for k, v in ALERT_FORM.items() if k != "days"})


@pytest.mark.parametrize("who", ["moderator", "organiser"])
def test_moderators_and_organisers_publish_at_once(client, request, who, django_capture_on_commit_callbacks):
    author = request.getfixturevalue(who)
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/alerts/new/", ALERT_FORM)
    assert response.status_code == 302 and response["Location"] == "/alerts/"
    alert = DrugAlert.objects.get()
    assert alert.moderation_status == ModerationStatus.APPROVED and alert.author == author
    assert callbacks, "a published alert is pushed after commit"
    assert "Xylazine in fentanyl" in client.get("/").content.decode()


def test_established_member_alert_waits_for_a_moderator(client, established_peer, moderator, other_peer):
    client.force_login(established_peer)
    response = client.post("/alerts/new/", ALERT_FORM, follow=True)
    assert escape(str(services.MSG_ALERT_HELD)) in response.content.decode()
    alert = DrugAlert.objects.get()
    assert alert.moderation_status == ModerationStatus.PENDING
    assert services.PRE_MODERATION_REASON in alert.moderation_reason
    assert list(selectors.alerts_active()) == []
    assert selectors.banner_alerts() == []
    page = client.get("/alerts/").content.decode()
    assert "waiting for a moderator" in page and "Xylazine in fentanyl" in page  # the author sees their own
    client.force_login(other_peer)
    assert "Xylazine in fentanyl" not in client.get("/alerts/").content.decode()


def test_moderator_approves_a_held_alert_and_it_goes_out(client, established_peer, moderator, django_capture_on_commit_callbacks):
    alert = services.alert_create(author=established_peer, **{k: v for k, v in ALERT_FORM.items() if k != "days"})
    client.force_login(moderator)
    assert "Approve and send" in client.get("/alerts/").content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/alerts/{alert.pk}/review/", {"action": "approve"})
    assert response.status_code == 302
    assert callbacks
    alert.refresh_from_db()
    assert alert.moderation_status == ModerationStatus.APPROVED and alert.moderated_by == moderator
    assert client.post(f"/alerts/{alert.pk}/review/", {"action": "approve"}).status_code == 409  # idempotent
    assert [row["id"] for row in selectors.banner_alerts()] == [alert.pk]


def test_only_moderators_review_alerts(client, established_peer):
    alert = services.alert_create(author=established_peer, **{k: v for k, v in ALERT_FORM.items() if k != "days"})
    client.force_login(established_peer)
    assert client.post(f"/alerts/{alert.pk}/review/", {"action": "approve"}).status_code == 403
    alert.refresh_from_db()
    assert alert.is_pending


@pytest.mark.parametrize(
    "change, message",
    [
        ({"substance": ""}, services.MSG_SUBSTANCE_REQUIRED),
        ({"substance": "   "}, services.MSG_SUBSTANCE_REQUIRED),
        ({"summary": ""}, services.MSG_SUMMARY_REQUIRED),
        ({"summary": "x" * 301}, services.MSG_TOO_LONG.format(field="What was found", limit=300)),
        ({"region": ""}, services.MSG_REGION_REQUIRED),
        ({"severity": "apocalyptic"}, services.MSG_BAD_CHOICE.format(field="severity")),
        ({"source": "rumour"}, services.MSG_BAD_CHOICE.format(field="source")),
        ({"days": "0"}, services.MSG_DAYS_RANGE),
        ({"days": str(ALERT_MAX_DAYS + 1)}, services.MSG_DAYS_RANGE),
        ({"days": "soon"}, services.MSG_DAYS_RANGE),
    ],
)
def test_bad_alert_input_is_refused_and_nothing_stored(client, moderator, change, message):
    client.force_login(moderator)
    response = client.post("/alerts/new/", ALERT_FORM | change)
    assert response.status_code == 400
    assert escape(str(message)) in response.content.decode()
    assert not DrugAlert.objects.exists()


@pytest.mark.parametrize("days", [0, ALERT_MAX_DAYS + 1])
def test_service_refuses_days_out_of_range(moderator, days):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=str(services.MSG_DAYS_RANGE)):
        services.alert_create(author=moderator, days=days, **{k: v for k, v in ALERT_FORM.items() if k != "days"})


def test_expiry_defaults_to_seven_days_and_allows_thirty(alert_factory):
    week = alert_factory()
    month = alert_factory(days=ALERT_MAX_DAYS)
    assert abs((week.expires_at - timezone.now()) - timedelta(days=7)) < timedelta(minutes=1)
    assert abs((month.expires_at - timezone.now()) - timedelta(days=30)) < timedelta(minutes=1)


def test_expired_alert_is_archived_not_deleted(client, alert_factory):
    alert = alert_factory(substance="Pressed pills", summary="Unusually strong batch of blue pills.")
    DrugAlert.objects.filter(pk=alert.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    cache.clear()
    assert "Unusually strong batch" not in client.get("/alerts/").content.decode()
    assert "Unusually strong batch" not in client.get("/").content.decode()
    archive = client.get("/alerts/archive/").content.decode()
    assert "Unusually strong batch" in archive and "ended" in archive
    assert DrugAlert.objects.filter(pk=alert.pk).exists()


def test_banner_drops_an_alert_on_time_even_while_cached(alert_factory):
    alert = alert_factory(days=1)
    assert [row["id"] for row in selectors.banner_alerts()] == [alert.pk]
    later = timezone.now() + timedelta(days=2)
    with mock.patch("safety.selectors.timezone.now", return_value=later):
        assert selectors.banner_alerts() == []


def test_moderator_ends_an_alert_early(client, moderator, alert_factory):
    alert = alert_factory()
    client.force_login(moderator)
    assert client.post(f"/alerts/{alert.pk}/review/", {"action": "end"}).status_code == 302
    assert not selectors.alerts_active().exists()
    assert selectors.alerts_archived().get() == alert
    assert client.post(f"/alerts/{alert.pk}/review/", {"action": "end"}).status_code == 409
    assert client.post(f"/alerts/{alert.pk}/review/", {"action": "explode"}).status_code == 400


def test_banner_is_on_every_page_and_costs_at_most_one_query(client, alert_factory, django_assert_num_queries):
    alert_factory(substance="Ketamine", summary="Cut with something that causes seizures.")
    for path in ("/", "/alerts/", "/help/overdose/", "/services/", "/about/"):
        assert "Cut with something that causes seizures" in client.get(path).content.decode(), path
    cache.clear()
    with django_assert_num_queries(1):
        selectors.banner_alerts()
    with django_assert_num_queries(0):
        selectors.banner_alerts()


def test_banner_shows_the_most_urgent_first_and_at_most_three(alert_factory):
    info = alert_factory(severity="info", summary="Info one.")
    danger = alert_factory(severity="danger", summary="Danger one.")
    for number in range(3):
        alert_factory(severity="warning", summary=f"Warning {number}.")
    rows = selectors.banner_alerts()
    assert len(rows) == selectors.BANNER_MAX_ALERTS
    assert rows[0]["id"] == danger.pk
    assert info.pk not in [row["id"] for row in rows]


def test_seen_it_too_counts_once_per_person(client, peer, other_peer, alert_factory):
    alert = alert_factory()
    client.force_login(peer)
    first = client.post(f"/alerts/{alert.pk}/seen/")
    assert first.status_code == 302 and first["Location"] == f"/alerts/#alert-{alert.pk}"
    second = client.post(f"/alerts/{alert.pk}/seen/")
    assert second.status_code == 409
    assert escape(str(services.MSG_ALREADY_SEEN)) in second.content.decode()
    client.force_login(other_peer)
    client.post(f"/alerts/{alert.pk}/seen/")
    alert.refresh_from_db()
    assert alert.seen_count == 2 and AlertSighting.objects.count() == 2
    page = client.get("/alerts/").content.decode()
    assert "2 people have seen this too" in page and "You said you've seen this too" in page


def test_seen_it_too_refused_for_ended_or_pending_alerts(client, peer, alert_factory, established_peer):
    ended = alert_factory()
    DrugAlert.objects.filter(pk=ended.pk).update(expires_at=timezone.now())
    pending = services.alert_create(author=established_peer, **{k: v for k, v in ALERT_FORM.items() if k != "days"})
    client.force_login(peer)
    for alert in (ended, pending):
        response = client.post(f"/alerts/{alert.pk}/seen/")
        assert response.status_code == 400
        assert escape(str(services.MSG_ALERT_NOT_ACTIVE)) in response.content.decode()
    assert not AlertSighting.objects.exists()


def test_seen_it_too_needs_an_account_and_post(client, alert_factory, peer):
    alert = alert_factory()
    assert client.post(f"/alerts/{alert.pk}/seen/").status_code == 302  # to log in
    client.force_login(peer)
    assert client.get(f"/alerts/{alert.pk}/seen/").status_code == 405
    assert client.post("/alerts/999999/seen/").status_code == 404
    assert not AlertSighting.objects.exists()


def test_alert_posting_is_rate_limited(client, moderator, settings):
    settings.RATE_LIMITS = {"alert_post": (2, 3600)}
    client.force_login(moderator)
    for _ in range(2):
        assert client.post("/alerts/new/", ALERT_FORM).status_code == 302
    response = client.post("/alerts/new/", ALERT_FORM)
    assert response.status_code == 429 and escape(LIMITS["alert_post"].message) in response.content.decode()
    assert "Please try again in" in response.content.decode() and int(response["Retry-After"]) > 0
    assert DrugAlert.objects.count() == 2


def test_alerts_page_query_count_does_not_grow_with_alerts(client, peer, alert_factory, django_assert_max_num_queries):
    for number in range(12):
        alert_factory(summary=f"Finding {number}.")
    client.force_login(peer)
    with django_assert_max_num_queries(12):
        assert client.get("/alerts/").status_code == 200


def test_export_includes_alerts_and_sightings(peer, moderator, alert_factory):
    from peers.export import peer_data_export

    alert = alert_factory()
    services.alert_mark_seen(alert=alert, peer=peer)
    assert peer_data_export(peer=peer)["alerts_seen"][0]["alert_id"] == alert.pk
    assert peer_data_export(peer=moderator)["drug_alerts"][0]["substance"] == "Fentanyl"


def test_moderators_hear_of_a_held_alert_and_the_author_of_the_decision(established_peer, moderator):
    alert = services.alert_create(author=established_peer, **{k: v for k, v in ALERT_FORM.items() if k != "days"})
    notice = moderator.notifications.get(kind="alert_held")
    assert notice.url == f"/alerts/#alert-{alert.pk}" and "Fentanyl" in notice.text
    services.alert_moderate(alert=alert, status=ModerationStatus.REJECTED, by=moderator, reason="Duplicate of an earlier alert.")
    assert "Duplicate of an earlier alert." in established_peer.notifications.latest("id").text


def test_a_muted_member_may_still_say_seen_it_too(client, peer, moderator, alert_factory):
    """Issue 13, item 11: a mute stops words others read; a sighting is a count that helps others judge a batch."""
    from moderation import services as mod_services
    from moderation.models import Action

    alert = alert_factory()
    mod_services.sanction_apply(peer=peer, action=Action.MUTE, moderator=moderator, reason="cool off", hours=24)
    client.force_login(peer)
    assert client.post(f"/alerts/{alert.pk}/seen/").status_code == 302
    alert.refresh_from_db()
    assert alert.seen_count == 1


def test_a_suspended_member_is_told_why_seen_it_too_is_refused(client, peer, moderator, alert_factory):
    from moderation import services as mod_services
    from moderation.models import Action
    from safety.permissions import MSG_SIGHTING_RESTRICTED

    alert = alert_factory()
    mod_services.sanction_apply(peer=peer, action=Action.SUSPEND, moderator=moderator, reason="cool off", hours=24)
    client.force_login(peer)
    response = client.post(f"/alerts/{alert.pk}/seen/")
    assert response.status_code == 403
    page = response.content.decode()
    assert escape(str(MSG_SIGHTING_RESTRICTED)) in page and "suspended until" in page and "cool off" in page
    assert not AlertSighting.objects.exists()
