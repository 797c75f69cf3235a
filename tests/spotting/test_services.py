"""Spot me's services with the clock moved (each service takes `now`): check-ins, the grace, the alarm raised
once, the spotter gone, the time limit, the purge, account deletion and the export."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from commons.refusals import Refusal
from helpnow import services as helpnow_services
from moderation import sanctions
from moderation.sanctions import Restriction
from moderation.services import report_create
from peers.export import peer_data_export
from peers import services as peer_services
from rooms.models import Message, Room
from spotting import services
from spotting.models import SpotMonth, SpotSession

pytestmark = pytest.mark.django_db
MIN = timedelta(minutes=1)
GRACE = timedelta(seconds=60)


@pytest.fixture
def alarms(monkeypatch):
    """Every alarm frame sent, as (group, event)."""
    sent = []
    monkeypatch.setattr(services, "group_send_on_commit", lambda group, event: sent.append((group, event)))
    return sent


def _alarm_groups(sent):
    return sorted(group for group, event in sent if event["type"] == "spot.alarm")


def test_start_stores_nothing_is_claimed_yet_and_counts_the_month(started):
    assert started.status == SpotSession.Status.WAITING and started.claimed_by is None and started.check_due_at is None
    assert started.room.visibility == Room.Visibility.INVITED
    assert SpotMonth.objects.get().sessions == 1


def test_claim_starts_the_countdown_on_the_server(claimed, spotter):
    assert claimed.status == SpotSession.Status.ACTIVE and claimed.claimed_by == spotter
    assert claimed.check_due_at == claimed.claimed_at + 5 * MIN
    assert claimed.alarm_due_at == claimed.check_due_at + GRACE
    assert claimed.ends_at == claimed.claimed_at + 60 * MIN
    assert set(claimed.room.invited.all()) == {claimed.member, spotter}


def test_second_claim_is_told_taken(started, spotter, second_supporter):
    services.session_claim(session=started, supporter=spotter)
    with pytest.raises(Refusal) as refused:
        services.session_claim(session=SpotSession.objects.get(pk=started.pk), supporter=second_supporter)
    assert refused.value.code == services.TAKEN and refused.value.http_status == 409
    assert SpotSession.objects.get(pk=started.pk).claimed_by == spotter


def test_on_time_check_ins_never_alarm(claimed, alarms):
    t = claimed.claimed_at
    for _ in range(5):
        t += 4 * MIN
        services.session_ok(session=claimed, by=claimed.member, now=t)
        assert services.alarms_raise(now=t + timedelta(seconds=30)) == 0
        claimed.refresh_from_db()
        assert claimed.check_due_at == t + 5 * MIN and claimed.status == SpotSession.Status.ACTIVE
    assert services.alarms_raise(now=t + 5 * MIN + GRACE - timedelta(seconds=1)) == 0
    assert _alarm_groups(alarms) == []


def test_missed_check_in_raises_the_alarm_once_after_the_grace(claimed, spotter, alarms):
    due = claimed.check_due_at
    assert services.alarms_raise(now=due + timedelta(seconds=59)) == 0  # in the grace: only the device sounds
    assert services.alarms_raise(now=due + GRACE) == 1
    assert services.alarms_raise(now=due + GRACE + MIN) == 0  # never twice
    claimed.refresh_from_db()
    assert claimed.status == SpotSession.Status.ALARM and not claimed.alarm_to_all
    assert _alarm_groups(alarms) == [services.supporter_group(spotter.pk)]
    assert SpotMonth.objects.get().alarms == 1


def test_two_processes_that_both_saw_it_due_raise_it_once(claimed, alarms):
    """Both processes selected the same due session; the conditional UPDATE lets only the first raise it."""
    assert services.alarm_raise(session_id=claimed.pk, now=claimed.alarm_due_at)
    assert not services.alarm_raise(session_id=claimed.pk, now=claimed.alarm_due_at + timedelta(seconds=1))
    assert len(_alarm_groups(alarms)) == 1 and SpotMonth.objects.get().alarms == 1


def test_late_answer_inside_the_grace_resets_without_an_alarm(claimed, alarms):
    late = claimed.check_due_at + timedelta(seconds=45)
    services.session_ok(session=claimed, by=claimed.member, now=late)
    assert services.alarms_raise(now=late + timedelta(seconds=30)) == 0
    claimed.refresh_from_db()
    assert claimed.status == SpotSession.Status.ACTIVE and claimed.check_due_at == late + 5 * MIN
    assert _alarm_groups(alarms) == []


def test_spotter_gone_at_alarm_time_alarms_every_supporter_on_duty(claimed, spotter, second_supporter, alarms):
    helpnow_services.duty_set(supporter=spotter, on=False)
    assert services.alarms_raise(now=claimed.alarm_due_at) == 1
    claimed.refresh_from_db()
    assert claimed.alarm_to_all
    assert _alarm_groups(alarms) == sorted([services.supporter_group(second_supporter.pk), services.supporter_group(spotter.pk)])
    # Any supporter on duty may then take it and record; the first record wins.
    services.session_record(session=claimed, by=second_supporter, action="called_contact", outcome="Sam went round: OK.")
    claimed.refresh_from_db()
    assert claimed.recorded_by == second_supporter and claimed.status == SpotSession.Status.ENDED
    with pytest.raises(Refusal) as refused:
        services.session_record(session=claimed, by=spotter, action="other")
    assert refused.value.code == services.TAKEN


def test_answer_after_the_alarm_is_shown_and_answered_late_resumes(claimed, spotter):
    services.alarms_raise(now=claimed.alarm_due_at)
    later = claimed.alarm_due_at + MIN
    services.session_ok(session=claimed, by=claimed.member, now=later)
    claimed.refresh_from_db()
    assert claimed.status == SpotSession.Status.ALARM and claimed.last_ok_at == later  # the spotter still records
    services.session_record(session=claimed, by=spotter, action="answered_late")
    claimed.refresh_from_db()
    assert claimed.status == SpotSession.Status.ACTIVE and claimed.check_due_at > claimed.recorded_at
    assert SpotMonth.objects.get().answered_late == 1


def test_record_outcome_ends_the_session_and_keeps_only_counts(claimed, spotter):
    services.alarms_raise(now=claimed.alarm_due_at)
    services.session_record(session=claimed, by=spotter, action="called_emergency", outcome="Paramedics found them; OK.")
    claimed.refresh_from_db()
    assert claimed.status == SpotSession.Status.ENDED and claimed.ended_by == SpotSession.EndedBy.SPOTTER
    month = SpotMonth.objects.get()
    assert (month.sessions, month.spotted, month.alarms, month.called_emergency) == (1, 1, 1, 1)


def test_session_limit_asks_a_last_check_then_ends(claimed):
    t = claimed.claimed_at
    while t + 5 * MIN < claimed.ends_at:
        t += 5 * MIN
        services.session_ok(session=claimed, by=claimed.member, now=t)
    claimed.refresh_from_db()
    assert claimed.check_due_at == claimed.ends_at  # the last check falls at the limit
    services.session_ok(session=claimed, by=claimed.member, now=claimed.ends_at + timedelta(seconds=10))
    claimed.refresh_from_db()
    assert claimed.status == SpotSession.Status.ENDED and claimed.ended_by == SpotSession.EndedBy.LIMIT


def test_session_limit_missed_last_check_alarms(claimed):
    SpotSession.objects.filter(pk=claimed.pk).update(check_due_at=claimed.ends_at, alarm_due_at=claimed.ends_at + GRACE)
    assert services.alarms_raise(now=claimed.ends_at + GRACE) == 1


def test_unclaimed_request_ends_at_its_limit(started):
    assert services.spotting_tick(now=started.ends_at)["unclaimed_ended"] == 1
    started.refresh_from_db()
    assert started.status == SpotSession.Status.ENDED


def test_member_ends_at_any_time_and_nothing_alarms_after(claimed):
    due = claimed.alarm_due_at
    assert services.session_end(session=claimed, by=claimed.member)
    assert not services.session_end(session=claimed, by=claimed.member)
    assert services.alarms_raise(now=due + 10 * MIN) == 0
    assert Room.objects.get(pk=claimed.room_id).status == Room.Status.CLOSED


def test_purge_deletes_everything_24_hours_after_the_end_and_keeps_counts(claimed, spotter):
    Message.objects.create(room=claimed.room, author=spotter, body="hello", body_html="<p>hello</p>")
    services.alarms_raise(now=claimed.alarm_due_at)
    services.session_record(session=claimed, by=spotter, action="called_person")
    claimed.refresh_from_db()
    assert services.sessions_purge(now=claimed.ended_at + timedelta(hours=23)) == 0
    assert services.spotting_tick(now=claimed.ended_at + timedelta(hours=24))["purged"] == 1
    assert not SpotSession.objects.exists() and not Room.objects.filter(pk=claimed.room_id).exists()
    assert not Message.objects.filter(body="hello").exists()
    assert SpotMonth.objects.get().called_person == 1


def test_purge_keeps_a_session_whose_chat_is_reported(claimed, spotter):
    message = Message.objects.create(room=claimed.room, author=spotter, body="hello", body_html="<p>hello</p>")
    report_create(reporter=claimed.member, target_ref=f"message:{message.pk}", reason="harassment")
    services.session_end(session=claimed, by=claimed.member)
    claimed.refresh_from_db()
    assert services.sessions_purge(now=claimed.ended_at + timedelta(hours=25)) == 0
    assert SpotSession.objects.filter(pk=claimed.pk).exists()


# --- bad input: a clear refusal, nothing stored ----------------------------------------------------


@pytest.mark.parametrize("fields, message", [
    ({"interval_minutes": 1}, services.BAD_INTERVAL),
    ({"interval_minutes": 16}, services.BAD_INTERVAL),
    ({"length_minutes": 121}, services.BAD_LENGTH),
    ({"length_minutes": 0}, services.BAD_LENGTH),
    ({"note": "x" * 1001}, services.NOTE_TOO_LONG),
])
def test_bad_start_is_refused_and_stores_nothing(member, fields, message):
    with pytest.raises(Refusal) as refused:
        services.session_start(member=member, **{"interval_minutes": 5, "length_minutes": 60, "note": "", **fields})
    assert refused.value.detail == str(message) and refused.value.http_status == 400
    assert not SpotSession.objects.exists() and not Room.objects.exists()


def test_note_of_exactly_1000_characters_is_kept_unscreened(member):
    note = "Call me on 555-0100, 12 High Street, flat 3. " * 22
    note = note[:1000]
    session = services.session_start(member=member, interval_minutes=2, length_minutes=120, note=note)
    assert session.note == note.strip()


def test_second_session_at_once_is_refused(started, member):
    with pytest.raises(Refusal) as refused:
        services.session_start(member=member, interval_minutes=5, length_minutes=60)
    assert refused.value.detail == str(services.ALREADY_OPEN)
    assert SpotSession.objects.count() == 1


def test_suspended_member_cannot_start(member, monkeypatch):
    monkeypatch.setattr(sanctions, "active_restriction", lambda p: Restriction(kind="suspend", until=None, reason="test"))
    with pytest.raises(PermissionDenied):
        services.session_start(member=member, interval_minutes=5, length_minutes=60)
    assert not SpotSession.objects.exists()


def test_im_ok_on_someone_elses_session_is_refused(claimed, spotter, second_supporter):
    before = claimed.check_due_at
    for other in (spotter, second_supporter):
        with pytest.raises(Refusal) as refused:
            services.session_ok(session=claimed, by=other)
        assert refused.value.http_status == 403
    claimed.refresh_from_db()
    assert claimed.check_due_at == before


def test_record_on_a_session_not_theirs_is_refused(claimed, second_supporter):
    services.alarms_raise(now=claimed.alarm_due_at)
    with pytest.raises(Refusal) as refused:
        services.session_record(session=claimed, by=second_supporter, action="other")
    assert refused.value.http_status == 403
    claimed.refresh_from_db()
    assert claimed.recorded_at is None


def test_record_without_an_alarm_is_refused(claimed, spotter):
    with pytest.raises(Refusal) as refused:
        services.session_record(session=claimed, by=spotter, action="other")
    assert refused.value.detail == str(services.NO_ALARM)


def test_claim_needs_duty_and_not_ones_own(started, member, second_supporter):
    helpnow_services.duty_set(supporter=second_supporter, on=False)
    with pytest.raises(Refusal) as refused:
        services.session_claim(session=started, supporter=second_supporter)
    assert refused.value.detail == str(services.GO_ON_DUTY_FIRST)
    with pytest.raises(Refusal):
        services.session_claim(session=started, supporter=member)
    assert SpotSession.objects.get(pk=started.pk).status == SpotSession.Status.WAITING


# --- account deletion and export ------------------------------------------------------------------


def test_export_holds_the_sessions_and_deletion_removes_them(claimed, spotter):
    member = claimed.member
    Message.objects.create(room=claimed.room, author=spotter, body="hi, I'm here", body_html="<p>hi</p>")
    exported = peer_data_export(peer=member)["spotting_sessions"]
    assert exported[0]["note"] == claimed.note and exported[0]["chat"][0]["from"] == "spotter"
    assert "spot-lee" not in str(exported)
    peer_services.account_delete(peer=member, erase_words=True)
    assert not SpotSession.objects.exists() and not Room.objects.filter(pk=claimed.room_id).exists()


def test_spotter_gone_and_nobody_on_duty_is_recorded_as_reaching_nobody(claimed, spotter, alarms):
    """The alarm that reaches nobody says so: decided where it is raised, stored on the session, in its state."""
    helpnow_services.duty_set(supporter=spotter, on=False)
    assert services.alarms_raise(now=claimed.alarm_due_at) == 1
    claimed.refresh_from_db()
    assert claimed.status == SpotSession.Status.ALARM and claimed.alarm_to_all and claimed.alarm_reached_nobody
    from spotting.selectors import session_state
    assert session_state(claimed, peer=claimed.member)["reached_nobody"] is True


def test_alarm_that_reaches_someone_is_not_recorded_as_reaching_nobody(claimed, spotter, second_supporter, alarms):
    helpnow_services.duty_set(supporter=spotter, on=False)
    services.alarms_raise(now=claimed.alarm_due_at)
    claimed.refresh_from_db()
    assert claimed.alarm_to_all and not claimed.alarm_reached_nobody
