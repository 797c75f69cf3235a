import pytest

from moderation import screening, services
from moderation.models import ModerationStatus, SourcingPattern
from moderation.screening import HOLD_REASONS, MSG_HELD, screen
from peers.models import Notification

HELD = [
    ("call 555-0134", "contact"),
    ("ring me on +44 7700 900123 tonight", "contact"),
    ("my number is (415) 555-0134", "contact"),
    ("email me: sam.r@example.com", "contact"),
    ("sam at gmail dot com", "contact"),
    ("come to 12 Harbour Street after 6", "contact"),
    ("send it to $riverbend99", "payment"),
    ("venmo @river-bend", "payment"),
    ("paypal.me/riverbend", "payment"),
    ("hmu if you need anything", "sourcing"),
    ("DM me for prices", "sourcing"),
    ("my plug has good stuff", "sourcing"),
    ("$40/g or 60 a gram for the clear", "sourcing"),
    ("£20 per g", "sourcing"),
    ("3 for $50 this weekend", "sourcing"),
]
NOT_HELD = [
    "I took 5 mg and waited an hour",
    "Start low, go slow: 10mg first, then wait 2 hours.",
    "It was 2024-11-24 when the batch came through",
    "I spent $20 on naloxone kits for the group",
    "The test strip showed 1 line after 5 minutes",
    "Unplugged my phone and slept for 12 hours",
    "Doses of 0.1 g are sometimes recommended by drug checking",
    "Meet at the drop-in on the second floor",
    "A 3 day break helped me",
]


@pytest.mark.parametrize(("text", "code"), HELD)
def test_contact_details_payment_and_sourcing_are_held(db, peer, text, code):
    result = screen(author=peer, text=text, kind="post")
    assert result.held
    assert code in result.codes
    assert HOLD_REASONS[code] in result.reasons[0]


@pytest.mark.parametrize("text", NOT_HELD)
def test_ordinary_harm_reduction_talk_is_not_held(db, peer, text):
    assert not screen(author=peer, text=text, kind="post").held


def test_held_reason_is_plain_words_for_the_author(db, peer, board, thread_factory):
    thread = thread_factory(author=peer, body="call 555-0134")
    post = thread.posts.get()
    assert post.moderation_status == ModerationStatus.PENDING
    assert post.moderation_reason == MSG_HELD.format(reasons=HOLD_REASONS["contact"])
    assert post.moderation_reason == "Held because it may contain contact details; a moderator will look soon."


def test_author_is_notified_when_held(db, peer, thread_factory):
    thread_factory(author=peer, body="hmu for more")
    notice = Notification.objects.get(recipient=peer)
    assert "waiting for a moderator" in notice.text and HOLD_REASONS["sourcing"] in notice.text


def test_room_message_with_phone_number_is_held(db, peer, message_factory):
    assert message_factory(author=peer, body="text me 555-0134").moderation_status == ModerationStatus.PENDING


def test_moderators_are_not_held(db, moderator):
    assert not screen(author=moderator, text="call 555-0134", kind="post").held


def test_new_account_posts_are_premoderated(trust_on, peer, post_factory):
    post = post_factory(author=peer, body="Thanks, that helps.")
    assert post.moderation_status == ModerationStatus.PENDING
    assert HOLD_REASONS["new_account"] in post.moderation_reason


def test_new_account_room_chat_is_not_premoderated(trust_on, peer, message_factory):
    assert message_factory(author=peer, body="hi all").moderation_status == ModerationStatus.APPROVED


def test_established_member_posts_at_once(trust_on, established_factory, post_factory):
    member = established_factory()
    assert post_factory(author=member, body="Good to see you.").moderation_status == ModerationStatus.APPROVED


def test_young_account_with_posts_is_still_new(trust_on, peer, post_factory, settings):
    settings.MODERATION_TRUST_MIN_POSTS = 0
    for _ in range(3):
        post_factory(author=peer)
    settings.MODERATION_TRUST_MIN_POSTS = 3
    assert post_factory(author=peer).moderation_status == ModerationStatus.PENDING


def test_links_from_new_accounts_are_held_in_rooms_too(trust_on, peer, message_factory):
    message = message_factory(author=peer, body="see https://example.org/guide")
    assert message.moderation_status == ModerationStatus.PENDING
    assert HOLD_REASONS["link"] in message.moderation_reason


def test_links_from_established_members_are_not_held(trust_on, established_factory, message_factory):
    member = established_factory()
    assert message_factory(author=member, body="see https://example.org/guide").moderation_status == ModerationStatus.APPROVED


def test_pattern_added_in_the_app_holds_new_content(db, moderator, peer):
    assert not screen(author=peer, text="ask for the candy man", kind="message").held
    services.pattern_add(moderator=moderator, pattern="candy man", kind=SourcingPattern.Kind.PHRASE)
    screening.patterns_changed()
    assert screen(author=peer, text="ask for the Candy  Man", kind="message").held


def test_pattern_turned_off_stops_holding(db, moderator, peer):
    plug = SourcingPattern.objects.get(pattern="plug")
    services.pattern_toggle(moderator=moderator, pattern=plug, active=False)
    screening.patterns_changed()
    assert not screen(author=peer, text="my plug", kind="message").held


def test_bad_regex_is_refused_with_a_readable_message(db, moderator):
    with pytest.raises(Exception) as refused:
        services.pattern_add(moderator=moderator, pattern="([", kind=SourcingPattern.Kind.REGEX)
    assert "doesn't work" in str(refused.value)
    assert not SourcingPattern.objects.filter(pattern="([").exists()


def test_default_patterns_are_seeded(db):
    assert SourcingPattern.objects.filter(pattern__in=["hmu", "dm me for", "plug"], is_active=True).count() == 3
    assert SourcingPattern.objects.filter(kind=SourcingPattern.Kind.REGEX).exists()
