"""Get help now: duty, requests, claims, backup, ending, escalation and deletion, through the services."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from commons.refusals import Refusal
from helpnow import services
from helpnow.models import HelpRequest
from moderation.models import QueueItem, Report, ReportedCopy
from peers.models import Notification
from rooms import permissions as room_permissions
from rooms import services as room_services
from rooms.models import Message, Room

pytestmark = pytest.mark.django_db


def test_request_opens_a_private_room_with_only_the_person_invited(peer, other_peer, moderator, supporter, on_duty, ask):
    on_duty(supporter)
    help_request = ask(peer, happening="Coming down hard", danger="no", would_help="someone to talk to")
    room = help_request.room
    assert room.visibility == Room.Visibility.INVITED and room.status == Room.Status.LIVE
    assert list(room.invited.all()) == [peer]
    assert room_permissions.can_see(peer, room) and room_permissions.can_see(moderator, room)
    assert not room_permissions.can_see(other_peer, room)
    assert not room_permissions.can_see(supporter, room)  # not before claiming


def test_one_open_request_per_person(peer, ask):
    ask(peer)
    with pytest.raises(Refusal) as refused:
        ask(peer)
    assert refused.value.detail == services.ALREADY_OPEN
    assert HelpRequest.objects.count() == 1


def test_bad_answers_are_refused_and_nothing_is_stored(peer, ask):
    for answers, detail in [
        ({"happening": "x" * 1001}, services.ANSWER_TOO_LONG),
        ({"would_help": "x" * 1001}, services.ANSWER_TOO_LONG),
        ({"happening": ["a list"]}, services.ANSWER_TOO_LONG),
        ({"danger": "maybe"}, services.BAD_DANGER),
    ]:
        with pytest.raises(Refusal) as refused:
            ask(peer, **answers)
        assert refused.value.detail == detail
    assert not HelpRequest.objects.exists() and not Room.objects.exists()


def test_muted_person_is_refused_with_the_reason(peer, ask, monkeypatch):
    from moderation import sanctions

    def refuse(p):
        raise PermissionDenied("Your account is muted.")

    monkeypatch.setattr(sanctions, "check_can_write", refuse)
    with pytest.raises(PermissionDenied):
        ask(peer)
    assert not HelpRequest.objects.exists()


def test_only_one_supporter_can_claim_and_the_other_is_told(peer, supporter, other_supporter, on_duty, ask):
    on_duty(supporter, other_supporter)
    help_request = ask(peer)
    services.request_claim(help_request=help_request, supporter=supporter)
    with pytest.raises(Refusal) as refused:
        services.request_claim(help_request=help_request, supporter=other_supporter)
    assert refused.value.code == services.TAKEN and refused.value.detail == services.ALREADY_TAKEN
    help_request.refresh_from_db()
    assert help_request.claimed_by == supporter and help_request.status == HelpRequest.Status.CLAIMED
    assert set(help_request.room.invited.all()) == {peer, supporter}
    assert not room_permissions.can_see(other_supporter, help_request.room)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_claims_one_wins(peer, supporter, other_supporter, on_duty, ask):
    """Two threads, two database connections, released together: the conditional UPDATE lets exactly one win."""
    if connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"]) + str(connection.settings_dict.get("TEST", {}).get("NAME") or ""):
        pytest.skip("needs a database that several connections can write at once (PostgreSQL, or SQLite on disk)")
    on_duty(supporter, other_supporter)
    help_request = ask(peer)
    barrier = threading.Barrier(2)
    outcomes = {}

    def claim(who):
        barrier.wait()
        try:
            services.request_claim(help_request=help_request, supporter=who)
            outcomes[who.username] = "won"
        except Refusal as refusal:
            outcomes[who.username] = refusal.code
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(who,)) for who in (supporter, other_supporter)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes.values()) == ["taken", "won"]
    help_request.refresh_from_db()
    assert help_request.claimed_by.username == [name for name, outcome in outcomes.items() if outcome == "won"][0]


def test_claim_needs_the_support_role_and_being_on_duty(peer, other_peer, supporter, ask):
    help_request = ask(peer)
    with pytest.raises(Refusal) as refused:
        services.request_claim(help_request=help_request, supporter=other_peer)
    assert refused.value.code == services.FORBIDDEN
    with pytest.raises(Refusal) as refused:
        services.request_claim(help_request=help_request, supporter=supporter)
    assert refused.value.detail == services.GO_ON_DUTY_FIRST
    assert HelpRequest.objects.get().status == HelpRequest.Status.WAITING


def test_claim_limit_per_supporter(peer_factory, supporter, on_duty, ask, settings):
    assert django_settings.HELPNOW_MAX_OPEN_CLAIMS == 2
    on_duty(supporter)
    requests = [ask(peer_factory()) for _ in range(3)]
    services.request_claim(help_request=requests[0], supporter=supporter)
    services.request_claim(help_request=requests[1], supporter=supporter)
    with pytest.raises(Refusal) as refused:
        services.request_claim(help_request=requests[2], supporter=supporter)
    assert refused.value.code == services.LIMIT
    assert refused.value.detail == services.CLAIM_LIMIT.format(limit=2)
    services.request_resolve(help_request=requests[0], by=supporter, note="")
    services.request_claim(help_request=requests[2], supporter=supporter)  # room again after resolving one
    settings.HELPNOW_MAX_OPEN_CLAIMS = 1
    with pytest.raises(Refusal):
        services.request_claim(help_request=ask(peer_factory()), supporter=supporter)


def test_backup_joins_once_and_counts_towards_the_limit(peer, supporter, other_supporter, peer_factory, on_duty, ask, settings):
    third = peer_factory("supporter")
    on_duty(supporter, other_supporter, third)
    help_request = ask(peer)
    services.request_claim(help_request=help_request, supporter=supporter)
    with pytest.raises(Refusal) as refused:
        services.request_backup_join(help_request=help_request, supporter=other_supporter)
    assert refused.value.detail == services.NO_BACKUP_ASKED
    with pytest.raises(PermissionDenied):
        services.request_backup_ask(help_request=help_request, by=other_supporter)
    assert services.request_backup_ask(help_request=help_request, by=supporter) is True
    assert services.request_backup_ask(help_request=help_request, by=supporter) is False
    services.request_backup_join(help_request=help_request, supporter=other_supporter)
    with pytest.raises(Refusal) as refused:
        services.request_backup_join(help_request=help_request, supporter=third)
    assert refused.value.code == services.TAKEN and refused.value.detail == services.BACKUP_TAKEN
    help_request.refresh_from_db()
    assert set(help_request.room.invited.all()) == {peer, supporter, other_supporter}
    assert services.open_claims(supporter=other_supporter) == 1


def test_resolve_closes_the_room_keeps_a_private_note_and_counts_for_the_shift(peer, supporter, on_duty, ask):
    on_duty(supporter)
    help_request = ask(peer)
    services.request_claim(help_request=help_request, supporter=supporter)
    with pytest.raises(Refusal) as refused:
        services.request_resolve(help_request=help_request, by=supporter, note="n" * 501)
    assert refused.value.detail == services.NOTE_TOO_LONG
    with pytest.raises(PermissionDenied):
        services.request_resolve(help_request=help_request, by=peer, note="")
    assert services.request_resolve(help_request=help_request, by=supporter, note="Talked it through; knows the drop-in hours.")
    assert not services.request_resolve(help_request=help_request, by=supporter, note="again")
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.RESOLVED and help_request.ended_by == "supporter"
    assert help_request.note.startswith("Talked")
    assert help_request.room.status == Room.Status.CLOSED
    assert services.resolved_in_shift(duty=services.duty_get(supporter=supporter)) == 1
    services.duty_set(supporter=supporter, on=False)
    services.duty_set(supporter=supporter, on=True)  # a new shift counts from zero
    assert services.resolved_in_shift(duty=services.duty_get(supporter=supporter)) == 0


def test_person_can_end_at_any_time_and_rate_once_it_ended(peer, other_peer, ask):
    help_request = ask(peer)
    with pytest.raises(Refusal) as refused:
        services.request_rate(help_request=help_request, by=peer, helped=True)
    assert refused.value.detail == services.NOT_RESOLVED_YET
    with pytest.raises(PermissionDenied):
        services.request_end(help_request=help_request, by=other_peer)
    assert services.request_end(help_request=help_request, by=peer)
    help_request.refresh_from_db()
    assert help_request.ended_by == HelpRequest.EndedBy.WITHDRAWN
    assert services.request_rate(help_request=help_request, by=peer, helped=False)
    assert not services.request_rate(help_request=help_request, by=peer, helped=False)
    with pytest.raises(PermissionDenied):
        services.request_rate(help_request=help_request, by=other_peer, helped=True)
    with pytest.raises(Refusal):
        services.request_rate(help_request=help_request, by=peer, helped="yes")
    assert HelpRequest.objects.get().helped is False
    ask(peer)  # a new request is possible once the last one ended


def test_on_duty_count_excludes_breaks_and_lapsed_shifts(supporter, other_supporter, peer, on_duty, django_assert_max_num_queries):
    assert services.on_duty_count() == 0
    on_duty(supporter, other_supporter)
    assert services.on_duty_count() == 2
    services.break_set(supporter=supporter, on=True)
    assert services.on_duty_count() == 1
    with django_assert_max_num_queries(0):
        services.on_duty_count()  # cached
    services.duty_get(supporter=other_supporter).__class__.objects.filter(supporter=other_supporter).update(
        since=timezone.now() - timedelta(hours=django_settings.HELPNOW_SHIFT_MAX_HOURS + 1)
    )
    services.break_set(supporter=supporter, on=False)  # clears the cache
    assert services.on_duty_count() == 1
    with pytest.raises(PermissionDenied):
        services.duty_set(supporter=peer, on=True)
    services.duty_set(supporter=supporter, on=False)
    with pytest.raises(Refusal) as refused:
        services.break_set(supporter=supporter, on=True)
    assert refused.value.detail == services.GO_ON_DUTY_FIRST


def test_new_request_notifies_available_supporters_only(peer, supporter, other_supporter, on_duty, ask):
    on_duty(supporter, other_supporter)
    services.break_set(supporter=other_supporter, on=True)
    ask(peer, danger="yes")
    notes = Notification.objects.filter(kind="helpnow")
    assert [n.recipient for n in notes] == [supporter]
    assert "may be in danger" in notes[0].text


def test_escalation_pushes_waiting_requests_again_once_per_interval(peer, other_peer, supporter, other_supporter, on_duty, ask):
    on_duty(supporter, other_supporter)
    services.break_set(supporter=other_supporter, on=True)
    waiting = ask(peer)
    claimed = ask(other_peer)
    services.request_claim(help_request=claimed, supporter=supporter)
    past = timezone.now() - timedelta(seconds=django_settings.HELPNOW_ESCALATE_AFTER_SECONDS + 5)
    HelpRequest.objects.update(created=past, pushed_at=past)
    Notification.objects.all().delete()
    assert services.requests_escalate() == 1  # only the waiting one
    assert services.requests_escalate() == 0  # not twice in one interval, whichever process runs it
    waiting.refresh_from_db()
    assert waiting.escalations == 1
    assert [n.recipient for n in Notification.objects.filter(kind="helpnow")] == [supporter]  # not the one on a break
    later = timezone.now() + timedelta(seconds=django_settings.HELPNOW_ESCALATE_AFTER_SECONDS + 1)
    assert services.requests_escalate(now=later) == 1  # still waiting one interval later: pushed again
    assert Notification.objects.filter(kind="helpnow").count() == 1  # on the board, not as another notice


def test_a_fresh_request_is_not_escalated(peer, supporter, on_duty, ask):
    on_duty(supporter)
    ask(peer)
    assert services.requests_escalate() == 0


def _ended(help_request, *, hours_ago):
    services.request_end(help_request=help_request, by=help_request.requester)
    HelpRequest.objects.filter(pk=help_request.pk).update(resolved_at=timezone.now() - timedelta(hours=hours_ago))


def test_purge_deletes_24_hours_after_the_end_and_keeps_only_a_moderators_copy_of_a_reported_message(peer_factory, moderator, ask):
    old, recent, reported, still_open = (ask(peer_factory()) for _ in range(4))
    message = room_services.message_store(room=reported.room, author=reported.requester, body="something worth a report")
    room_services.message_store(room=old.room, author=old.requester, body="bye")
    _ended(old, hours_ago=25)
    _ended(recent, hours_ago=23)
    _ended(reported, hours_ago=30)
    HelpRequest.objects.filter(pk=still_open.pk).update(created=timezone.now() - timedelta(days=3))
    item = QueueItem.objects.create(target_kind="message", target_id=message.pk)
    Report.objects.create(reporter=moderator, item=item, target_kind="message", target_id=message.pk, reason="other")
    old_room_id = old.room_id

    assert services.requests_purge() == (2, 1)
    assert set(HelpRequest.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    for room_id in (old_room_id, reported.room_id):
        assert not Room.objects.filter(pk=room_id).exists()
        assert not Message.objects.filter(room_id=room_id).exists()
    copy = ReportedCopy.objects.get(item=item)  # the report keeps a copy for the moderators, nothing else
    assert copy.body == "something worth a report" and copy.author_name == reported.requester.username


def test_purge_command(peer, ask, capsys):
    from django.core.management import call_command

    _ended(ask(peer), hours_ago=48)
    call_command("purge_help_requests")
    assert "Deleted 1" in capsys.readouterr().out
    assert not HelpRequest.objects.exists()


def test_escalate_command(peer, ask, capsys):
    from django.core.management import call_command

    ask(peer)
    call_command("helpnow_escalate")
    assert "Pushed 0" in capsys.readouterr().out


def test_account_deletion_takes_the_requests_and_export_lists_them(peer, ask):
    from django.apps import apps

    ask(peer, happening="hard night", danger="not_sure")
    exported = apps.get_app_config("helpnow").export_peer_data(peer)
    assert exported["help_requests"][0]["happening"] == "hard night"
    assert "note" not in exported["help_requests"][0]
    peer.delete()
    assert not HelpRequest.objects.exists()
