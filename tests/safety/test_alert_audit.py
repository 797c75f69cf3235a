"""Alert decisions are moderator actions like any other: in the public log, and open to appeal."""

import pytest

from moderation import services as moderation_services
from moderation.models import Action, LogEntry, ModerationStatus, Target
from peers import roles
from safety import services
from safety.models import DrugAlert


@pytest.fixture
def held_alert(established_peer, alert_factory):
    return alert_factory(author=established_peer, summary="Strong batch reported near the station")


@pytest.mark.django_db
def test_approving_and_rejecting_alerts_are_in_the_public_log_without_content(client, held_alert, moderator, other_peer, alert_factory, established_peer):
    assert held_alert.moderation_status == ModerationStatus.PENDING
    services.alert_moderate(alert=held_alert, status=ModerationStatus.APPROVED, by=moderator)
    second = alert_factory(author=established_peer, summary="Second report")
    services.alert_moderate(alert=second, status=ModerationStatus.REJECTED, by=moderator, reason="duplicate of an active alert")
    entries = list(LogEntry.objects.filter(target_kind=Target.ALERT).order_by("id").values_list("action", "target_id"))
    assert entries == [(Action.APPROVE, held_alert.pk), (Action.HIDE, second.pk)]
    client.force_login(other_peer)
    page = client.get("/mod/log/").content.decode()
    assert "drug alert" in page and f"#{second.pk}" not in page
    assert "duplicate of an active alert" not in page  # the moderator's words are for the author, not the public log
    assert "Second report" not in page  # the approved one is rightly in the banner


@pytest.mark.django_db
def test_an_overturned_appeal_publishes_the_alert(held_alert, moderator, established_peer, peer_factory):
    services.alert_moderate(alert=held_alert, status=ModerationStatus.REJECTED, by=moderator, reason="unclear")
    entry = LogEntry.objects.get(target_kind=Target.ALERT, action=Action.HIDE)
    appeal = moderation_services.appeal_create(appellant=established_peer, log_entry=entry, text="It came from the drug-checking service.")
    other_moderator = peer_factory(roles.MODERATOR)
    moderation_services.appeal_decide(appeal=appeal, moderator=other_moderator, overturn=True, reason="source confirmed")
    assert DrugAlert.objects.get(pk=held_alert.pk).moderation_status == ModerationStatus.APPROVED
