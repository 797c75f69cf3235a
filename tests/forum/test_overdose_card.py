import pytest


@pytest.mark.django_db
def test_a_post_with_an_overdose_signal_shows_the_steps_to_everyone(client, peer, thread_factory):
    thread = thread_factory(author=peer, title="Help", body="My friend has blue lips and is not breathing")
    page = client.get(thread.get_absolute_url(), follow=True).content.decode()
    assert 'class="overdose-card"' in page
    assert "/help/overdose/" in page


@pytest.mark.django_db
def test_unrelated_posts_show_no_card(client, peer, thread_factory):
    thread = thread_factory(author=peer, title="Test strips", body="Breathing exercises help me when I feel anxious.")
    page = client.get(thread.get_absolute_url(), follow=True).content.decode()
    assert 'class="overdose-card"' not in page


@pytest.mark.django_db
def test_emphasis_inside_the_words_still_shows_the_card(client, peer, thread_factory):
    thread = thread_factory(author=peer, title="Help", body="She is **not** breathing")
    page = client.get(thread.get_absolute_url(), follow=True).content.decode()
    assert 'class="overdose-card"' in page


@pytest.mark.django_db
def test_the_card_follows_edits_redactions_and_deletion(client, peer, moderator, thread_factory):
    from forum import services

    thread = thread_factory(author=peer, title="Quiet night", body="All fine here.")
    post = thread.posts.get()
    card = 'class="overdose-card"'

    def shown() -> bool:
        return card in client.get(thread.get_absolute_url(), follow=True).content.decode()

    assert not shown()
    services.post_edit(post=post, by=peer, body="Update: he's unresponsive, calling now")
    assert shown()
    services.post_redact(post=post, body="Update: calling now", by=moderator, reason="test")
    assert not shown()
    services.post_edit(post=post, by=peer, body="Update: he is not breathing")
    assert shown()
    services.post_delete(post=post, by=peer)
    assert not shown()
