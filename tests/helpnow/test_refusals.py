"""One refusal (commons.refusals.Refusal): the sentence a service refuses with reaches a page and a socket alike."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from helpnow import services

pytestmark = [pytest.mark.django_db(transaction=True)]


def _claim_over_http(supporter, help_request):
    client = Client()
    client.force_login(supporter)
    return client.post(f"/get-help/{help_request.pk}/claim/")


async def _claim_over_the_board(connect, supporter, help_request) -> dict:
    board = await connect(supporter)
    while (await board.receive_json_from(timeout=3))["type"] != "board":
        pass
    await board.send_json_to({"type": "claim", "id": help_request.pk})
    while (frame := await board.receive_json_from(timeout=3))["type"] != "error":
        pass
    return frame


async def test_a_taken_request_is_refused_in_the_same_words_on_the_page_and_the_board(
    connect, supporter, other_supporter, peer, on_duty, ask
):
    await sync_to_async(on_duty)(supporter, other_supporter)
    help_request = await sync_to_async(ask)(peer)
    await sync_to_async(services.request_claim)(help_request=help_request, supporter=other_supporter)

    page = await sync_to_async(_claim_over_http)(supporter, help_request)
    frame = await _claim_over_the_board(connect, supporter, help_request)

    assert page.status_code == 409
    assert services.ALREADY_TAKEN in page.content.decode()
    assert frame == {"type": "error", "code": services.TAKEN, "detail": services.ALREADY_TAKEN}


async def test_a_forbidden_claim_is_a_403_on_the_page_and_forbidden_on_the_board(connect, supporter, on_duty, ask):
    await sync_to_async(on_duty)(supporter)
    own = await sync_to_async(ask)(supporter)  # a supporter may ask for help too, but not take their own request

    page = await sync_to_async(_claim_over_http)(supporter, own)
    frame = await _claim_over_the_board(connect, supporter, own)

    assert page.status_code == 403
    assert "take your own request" in page.content.decode()
    assert frame == {"type": "error", "code": services.FORBIDDEN, "detail": services.OWN_REQUEST}
