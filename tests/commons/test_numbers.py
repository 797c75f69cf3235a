"""Numbers a person types or puts in a URL stay within bounds, or are refused in words (issue 13, item 6)."""

import pytest

from moderation import services as mod_services
from moderation.models import Action, QueueItem
from rooms import services as room_services

HUGE = "99999999999999999999"


@pytest.mark.django_db
@pytest.mark.parametrize("page", [HUGE, "-1", "0", "1e9", "²", "", "nan"])
def test_every_paged_list_answers_a_page_number_out_of_range(client, moderator, board, thread_factory, peer, page):
    thread = thread_factory(author=peer)
    client.force_login(moderator)
    for path in (f"/b/{board.slug}/", f"/t/{thread.pk}/{thread.slug}/", "/search/?q=post", "/mod/", "/mod/log/",
                 "/alerts/archive/", "/services/", "/bookmarks/"):
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}page={page}")
        assert response.status_code in (200, 404), (path, page, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("minutes", [0, -5, 10**9, 60 * 24 * 7 + 1])
def test_a_room_mute_beyond_a_week_or_below_a_minute_is_refused(organiser, peer, minutes):
    from django.core.exceptions import ValidationError

    room = room_services.room_create(slug="support", title="Support", host=organiser)
    with pytest.raises(ValidationError):
        room_services.mute_in_room(room=room, peer=peer, by=organiser, minutes=minutes)


@pytest.mark.django_db
@pytest.mark.parametrize("minutes", ["0", "-5", HUGE, "ten"])
def test_the_mute_form_refuses_it_in_words(client, organiser, peer, minutes):
    room_services.room_create(slug="support", title="Support", host=organiser)
    client.force_login(organiser)
    response = client.post("/rooms/support/mute/", {"pseudonym": peer.username, "minutes": minutes})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [10**9, -1, 0, float("inf"), float("nan")])
def test_a_sanction_of_absurd_length_is_refused_and_nothing_written(moderator, peer, hours):
    from django.core.exceptions import ValidationError

    item = QueueItem.objects.create(target_kind="user", target_id=peer.pk, subject=peer)
    with pytest.raises(ValidationError):
        mod_services.item_decide(item=item, moderator=moderator, sanction=Action.MUTE, reason="too much", hours=hours)
    item.refresh_from_db()
    assert item.is_open and not peer.sanctions.exists()
