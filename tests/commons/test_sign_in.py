"""One "must sign in" (commons.http.sign_in_first): a visitor's GET goes to the log-in page and comes back; a
visitor's POST is refused with a readable 403 and writes nothing, on every app's pages alike."""

import html
from urllib.parse import quote

import pytest

from forum.models import Post
from forum.permissions import MSG_SIGN_IN_TO_POST
from helpnow.models import HelpRequest
from helpnow.permissions import NOT_SIGNED_IN as HELP_SIGN_IN
from moderation.models import Report
from moderation.services import MSG_SIGN_IN_TO_REPORT
from rooms.models import Room
from rooms.permissions import NOT_SIGNED_IN as ROOMS_SIGN_IN

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(thread_factory, peer):
    thread = thread_factory(author=peer)
    return {
        "forum reply": (f"/t/{thread.pk}/reply/?quote={thread.posts.first().pk}", {"body": "hello"}, MSG_SIGN_IN_TO_POST),
        "forum bookmarks": ("/bookmarks/", None, MSG_SIGN_IN_TO_POST),
        "room create": ("/rooms/new/", {"title": "Evening", "slug": "evening"}, ROOMS_SIGN_IN),
        "report": ("/report/", {"target": f"post:{thread.posts.first().pk}", "reason": "other", "text": "x"}, MSG_SIGN_IN_TO_REPORT),
    }


@pytest.mark.parametrize("page", ["forum reply", "forum bookmarks", "room create", "report"])
def test_a_visitors_get_goes_to_the_log_in_page_and_back(client, pages, page):
    path, _, _ = pages[page]
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(path, safe='/')}"


@pytest.mark.parametrize("page", ["forum reply", "room create", "report"])
def test_a_visitors_post_is_refused_in_words_and_writes_nothing(client, pages, page):
    path, data, message = pages[page]
    posts, rooms, reports = Post.objects.count(), Room.objects.count(), Report.objects.count()
    response = client.post(path, data)
    assert response.status_code == 403
    assert html.escape(message) in response.content.decode()
    assert (Post.objects.count(), Room.objects.count(), Report.objects.count()) == (posts, rooms, reports)


def test_a_visitors_help_action_is_refused_in_words(client, peer):
    from helpnow import services

    help_request = services.request_create(requester=peer)
    response = client.post(f"/get-help/{help_request.pk}/claim/")
    assert response.status_code == 403
    assert html.escape(HELP_SIGN_IN) in response.content.decode()
    assert HelpRequest.objects.get(pk=help_request.pk).claimed_by is None
