"""Every form ties its help and its errors to its fields (issue 17): each aria-describedby names ids that are on
the page, a refused field carries aria-invalid="true" and points at its error, and no id is used twice."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.duplicates, self.described, self.invalid = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            (self.duplicates.append(attrs["id"]) if attrs["id"] in self.ids else self.ids.add(attrs["id"]))
        if attrs.get("aria-describedby"):
            self.described.append((tag, attrs.get("name") or attrs.get("id"), attrs["aria-describedby"].split()))
        if attrs.get("aria-invalid") == "true":
            self.invalid.append((attrs.get("name"), (attrs.get("aria-describedby") or "").split()))


def _check(response):
    assert response.status_code in (200, 400), response.status_code  # a refused form answers 400 (commons.refusals)
    page = _Page()
    page.feed(response.content.decode())
    assert page.duplicates == []
    for tag, name, ids in page.described:
        assert all(i in page.ids for i in ids), (tag, name, ids, "points at an id that is not on the page")
    return page


FORMS = [  # (path, what a refused POST sends)
    ("/accounts/signup/", {"username": "x", "password1": "short", "password2": "other"}),
    ("/accounts/login/", {"login": "", "password": ""}),
    ("/get-help/", {"happening": "x" * 1200}),
]


@pytest.mark.parametrize("path,data", FORMS, ids=[p for p, _ in FORMS])
def test_form_help_and_errors_are_tied_to_their_fields(client, peer, path, data):
    if not path.startswith("/accounts/"):
        client.force_login(peer)
    _check(client.get(path))
    refused = _check(client.post(path, data))
    assert refused.invalid or b"form-errors" in client.post(path, data).content, "a refused form shows why"
    for name, ids in refused.invalid:
        assert any(i.endswith("_error") for i in ids), (name, ids, "a refused field points at its error")


def test_signup_password_help_is_a_list_in_a_block_and_tied_to_the_field(client, db):
    page = client.get("/accounts/signup/").content.decode()
    assert 'aria-describedby="id_password1_helptext"' in page
    assert '<div class="help" id="id_password1_helptext">' in page
    refused = _check(client.post("/accounts/signup/", {"username": "ab", "password1": "a", "password2": "b"}))
    names = {name for name, _ in refused.invalid}
    assert "username" in names or "password1" in names or "password2" in names


def test_thread_reply_and_new_thread_forms(client, peer, board, thread_factory):
    thread = thread_factory(author=peer)
    client.force_login(peer)
    _check(client.get(thread.get_absolute_url()))  # the reply form sits under the thread
    for path in (f"/b/{board.slug}/new/", f"/t/{thread.pk}/reply/"):
        if path.endswith("/new/"):
            _check(client.get(path))
        refused = _check(client.post(path, {"title": "", "body": ""}))
        assert refused.invalid, path
