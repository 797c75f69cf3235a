"""Spot me's pages: the consent page before anything is stored, the start form's bad input, who sees the note,
the refusals of every POST (a clear 4xx and nothing stored), SPOTTING_ENABLED, and a GET that writes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from moderation import sanctions
from moderation.sanctions import Restriction
from rooms.models import Room
from spotting import services
from spotting.models import SpotSession
from tests.conftest import make_peer

pytestmark = pytest.mark.django_db
NOTE = "Flat 3, door code 1234. Call Sam."


def _says(answer, message) -> bool:
    return escape(str(message)) in answer.content.decode()


def _client(client, peer):
    client.force_login(peer)
    return client


def test_consent_page_says_it_plainly_and_stores_nothing(client, member):
    page = _client(client, member).get("/get-help/spot/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "This site itself never calls anyone." in text and "Nothing is stored until you press" in text
    assert 'name="interval_minutes"' in text and 'name="length_minutes"' in text and 'name="note"' in text
    assert not SpotSession.objects.exists()


def test_start_redirects_to_the_session_and_nobody_on_duty_shows_the_phone_line(client, member, settings):
    settings.SPOTTING_PHONE_LINE, settings.SPOTTING_PHONE_LINE_NAME = "1-888-688-6677", "National Overdose Response Service"
    answer = _client(client, member).post("/get-help/spot/", {"interval_minutes": "5", "length_minutes": "60", "note": NOTE})
    session = SpotSession.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/get-help/spot/{session.pk}/"
    page = client.get(answer["Location"]).content.decode()
    assert "Nobody is on duty right now" in page and "1-888-688-6677" in page and "National Overdose Response Service" in page
    assert "Give naloxone" in page  # the overdose steps beside it
    assert NOTE in page  # the member reads their own note


@pytest.mark.parametrize("data", [
    {"interval_minutes": "1", "length_minutes": "60"},
    {"interval_minutes": "16", "length_minutes": "60"},
    {"interval_minutes": "five", "length_minutes": "60"},
    {"interval_minutes": "5", "length_minutes": "121"},
    {"interval_minutes": "5", "length_minutes": ""},
    {"interval_minutes": "5", "length_minutes": "60", "note": "x" * 1001},
])
def test_bad_start_is_400_and_stores_nothing(client, member, data):
    answer = _client(client, member).post("/get-help/spot/", data)
    assert answer.status_code == 400
    assert any(_says(answer, m) for m in (services.BAD_INTERVAL, services.BAD_LENGTH, services.NOTE_TOO_LONG))
    assert not SpotSession.objects.exists() and not Room.objects.exists()


def test_second_session_is_409(client, started, member):
    answer = _client(client, member).post("/get-help/spot/", {"interval_minutes": "5", "length_minutes": "60"})
    assert answer.status_code == 409 and _says(answer, services.ALREADY_OPEN)
    assert SpotSession.objects.count() == 1


def test_suspended_member_is_403(client, member, monkeypatch):
    monkeypatch.setattr(sanctions, "active_restriction", lambda p: Restriction(kind="suspend", until=None, reason="test"))
    answer = _client(client, member).post("/get-help/spot/", {"interval_minutes": "5", "length_minutes": "60"})
    assert answer.status_code == 403 and not SpotSession.objects.exists()


def test_visitor_cannot_start(client):
    assert client.post("/get-help/spot/", {"interval_minutes": "5", "length_minutes": "60"}).status_code == 403
    assert not SpotSession.objects.exists()


def test_claim_of_a_claimed_session_is_409(client, claimed, second_supporter, spotter):
    answer = _client(client, second_supporter).post(f"/get-help/spot/{claimed.pk}/claim/")
    assert answer.status_code == 409 and _says(answer, services.ALREADY_TAKEN)
    assert SpotSession.objects.get(pk=claimed.pk).claimed_by == spotter


def test_im_ok_on_someone_elses_session_is_403(client, claimed, second_supporter):
    before = claimed.check_due_at
    assert _client(client, second_supporter).post(f"/get-help/spot/{claimed.pk}/ok/").status_code == 403
    assert SpotSession.objects.get(pk=claimed.pk).check_due_at == before


def test_record_on_a_session_not_theirs_is_403_and_bad_action_400(client, claimed, spotter, second_supporter):
    services.alarms_raise(now=claimed.alarm_due_at)
    assert _client(client, second_supporter).post(f"/get-help/spot/{claimed.pk}/record/", {"action": "other"}).status_code == 403
    spotter_client = _client(client, spotter)
    assert spotter_client.post(f"/get-help/spot/{claimed.pk}/record/", {"action": "flew"}).status_code == 400
    assert spotter_client.post(f"/get-help/spot/{claimed.pk}/record/", {"action": "other", "outcome": "x" * 501}).status_code == 400
    assert SpotSession.objects.get(pk=claimed.pk).recorded_at is None


def test_note_is_shown_to_nobody_but_the_member_before_an_alarm(client, claimed, spotter):
    moderator = make_peer("moderator", username="spot-mod")
    for peer in (spotter, moderator):
        page = _client(client, peer).get(f"/get-help/spot/{claimed.pk}/")
        assert page.status_code == 200 and NOTE not in page.content.decode()
    services.alarms_raise(now=claimed.alarm_due_at)
    assert NOTE in _client(client, spotter).get(f"/get-help/spot/{claimed.pk}/").content.decode()
    assert NOTE not in _client(client, moderator).get(f"/get-help/spot/{claimed.pk}/").content.decode()


def test_others_get_403_on_the_session_page(client, claimed, second_supporter):
    assert _client(client, second_supporter).get(f"/get-help/spot/{claimed.pk}/").status_code == 403


def test_ok_then_end_by_the_member(client, claimed, member):
    member_client = _client(client, member)
    assert member_client.post(f"/get-help/spot/{claimed.pk}/ok/").status_code == 302
    assert member_client.post(f"/get-help/spot/{claimed.pk}/end/").status_code == 302
    assert SpotSession.objects.get(pk=claimed.pk).status == SpotSession.Status.ENDED
    assert member_client.post(f"/get-help/spot/{claimed.pk}/ok/").status_code == 409


def test_turned_off_answers_404(client, member, settings):
    settings.SPOTTING_ENABLED = False
    assert _client(client, member).get("/get-help/spot/").status_code == 404
    assert client.post("/get-help/spot/", {"interval_minutes": "5", "length_minutes": "60"}).status_code == 404
    assert "/get-help/spot/" not in client.get("/get-help/").content.decode()


def test_a_get_writes_nothing(client, claimed, spotter, member):
    services.alarms_raise(now=claimed.alarm_due_at)
    for peer, path in [(member, f"/get-help/spot/{claimed.pk}/"), (spotter, f"/get-help/spot/{claimed.pk}/"),
                       (spotter, "/supporters/spot/"), (member, "/get-help/spot/")]:
        c = _client(client, peer)
        with CaptureQueriesContext(connection) as queries:
            assert c.get(path).status_code in (200, 302)
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                  and "django_session" not in q["sql"]]
        assert writes == [], (path, writes)


def test_board_lists_requests_without_their_note(client, started, spotter):
    page = _client(client, spotter).get("/supporters/spot/").content.decode()
    assert f"/get-help/spot/{started.pk}/claim/" in page and NOTE not in page
    member = make_peer(username="spot-plain")
    assert _client(client, member).get("/supporters/spot/").status_code == 403


def test_transparency_page_shows_the_months_counts_naming_nobody(client, claimed, spotter):
    services.alarms_raise(now=claimed.alarm_due_at)
    services.session_record(session=claimed, by=spotter, action="called_emergency")
    page = client.get("/transparency/").content.decode()
    table = page.split('data-table="spotting"', 1)[1].split("</table>", 1)[0]
    assert "<td>1</td>" in table and "spot-lee" not in page and "spot-ana" not in page and NOTE not in page


def test_start_page_says_at_once_when_nobody_is_on_duty(client, member):
    assert "Nobody is on duty right now" in _client(client, member).get("/get-help/spot/").content.decode()


def test_alarm_that_reached_nobody_tells_the_member_the_truth_and_the_line(client, claimed, spotter, member, settings):
    from helpnow import services as helpnow_services
    settings.SPOTTING_PHONE_LINE, settings.SPOTTING_PHONE_LINE_NAME = "1-888-688-6677", "National Overdose Response Service"
    helpnow_services.duty_set(supporter=spotter, on=False)
    services.alarms_raise(now=claimed.alarm_due_at)
    page = _client(client, member).get(f"/get-help/spot/{claimed.pk}/").content.decode()
    assert "your spotter has been alerted" not in page
    assert "nobody from the community could be reached" in page
    assert "1-888-688-6677" in page and "National Overdose Response Service" in page and "Give naloxone" in page


def test_alarm_that_reached_the_spotter_says_so_to_the_member(client, claimed, member):
    services.alarms_raise(now=claimed.alarm_due_at)
    page = _client(client, member).get(f"/get-help/spot/{claimed.pk}/").content.decode()
    assert "your spotter has been alerted" in page and "nobody from the community could be reached" not in page


def test_every_page_of_a_supporter_carries_the_open_alarm_and_its_script(client, claimed, spotter, second_supporter, member, settings):
    """A page opened after the alarm (any page: the forum's front) shows it to the spotter, not to others."""
    services.alarms_raise(now=claimed.alarm_due_at)
    page = _client(client, spotter).get("/").content.decode()
    assert 'id="spot-page-alarm"' in page and "spotting-page-alarm.js" in page
    assert escape(NOTE) in page and f"/get-help/spot/{claimed.pk}/" in page
    for other in (second_supporter, member):
        page = _client(client, other).get("/").content.decode()
        assert escape(NOTE) not in page
    assert "spotting-page-alarm.js" not in page  # a member's pages do not load it
    settings.SPOTTING_ENABLED = False
    assert "spot-page-alarm" not in _client(client, spotter).get("/").content.decode()
