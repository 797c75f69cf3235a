import pytest
from django.utils.html import escape

from forum.models import Board, Thread
from forum.permissions import MSG_MODERATORS_ONLY_BOARD


@pytest.fixture
def guides(db):
    return Board.objects.create(slug="guides", title="Guides", moderators_only=True)


@pytest.mark.django_db
def test_members_cannot_start_threads_in_a_moderators_only_board(auth_client, guides):
    form = auth_client.get("/b/guides/new/")
    assert form.status_code == 403
    response = auth_client.post("/b/guides/new/", {"title": "My guide", "body": "text"})
    assert response.status_code == 403
    assert escape(MSG_MODERATORS_ONLY_BOARD) in response.content.decode()
    assert not Thread.objects.exists()
    assert "Start a thread" not in auth_client.get("/b/guides/").content.decode()


@pytest.mark.django_db
def test_moderators_start_threads_there(moderator_client, guides):
    response = moderator_client.post("/b/guides/new/", {"title": "Naloxone basics", "body": "Carry it."})
    assert response.status_code == 302
    assert Thread.objects.filter(board=guides).count() == 1
