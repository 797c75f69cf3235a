"""No email anywhere: allauth's email routes answer 404, no page links to them or asks for an address,
"Forgot your password?" leads to the recovery code, nothing can store an address, and allauth's stock
wording is ours wherever a person sees it."""

import re
from pathlib import Path

import pytest
from allauth.account import urls as allauth_urls
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import URLPattern
from django.utils.html import escape

from config.urls import NO_EMAIL_ROUTES
from peers import adapters
from peers.forms import MSG_PASSWORDS_DIFFER
from peers.models import MSG_NO_EMAIL, Peer
from tests.conftest import PASSWORD

# allauth's routes that manage, send or confirm email (or a login/reset code sent by email), by URL name.
EMAIL_NAME = re.compile(r"email|reset|code")
DUMMY = {"key": "abc123", "uidb36": "1x"}


def _allauth_email_paths() -> list[str]:
    """Every allauth route about email, from allauth's own URL conf (so a new one in an upgrade is caught)."""
    paths = []
    for pattern in allauth_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name and EMAIL_NAME.search(pattern.name):
            route = pattern.pattern.describe().split("'")[1].lstrip("^").rstrip("$")
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: DUMMY[m.group(1)], route)
            route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: DUMMY[m.group(1)], route)
            paths.append("/accounts/" + route)
    return paths


EMAIL_PATHS = _allauth_email_paths() + [
    "/accounts/email/", "/accounts/password/reset/", "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/", "/accounts/password/reset/key/1x-set-password/", "/accounts/confirm-email/",
    "/accounts/confirm-email/abc123/", "/accounts/login/code/confirm/",
]


def test_the_list_of_email_routes_is_not_empty():
    assert "/accounts/email/" in _allauth_email_paths() and "/accounts/password/reset/" in _allauth_email_paths()


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(set(EMAIL_PATHS)))
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_email_route_answers_404(client, peer, path, signed_in):
    if signed_in:
        client.force_login(peer)
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "sam@example.org", "action_add": ""}).status_code == 404
    assert not EmailAddress.objects.exists()


@pytest.mark.django_db
def test_posting_an_address_to_the_email_page_stores_nothing(auth_client, peer):
    response = auth_client.post("/accounts/email/", {"email": "river@example.org", "action_add": ""})
    assert response.status_code == 404
    assert not EmailAddress.objects.exists()
    assert "river@example.org" not in str(Peer.objects.filter(pk=peer.pk).values().get())


def test_the_peer_model_has_no_email_field():
    assert "email" not in {field.name for field in Peer._meta.get_fields()}
    assert settings.ACCOUNT_USER_MODEL_EMAIL_FIELD is None


@pytest.mark.django_db
def test_create_user_refuses_an_email_address():
    with pytest.raises(ValueError, match=MSG_NO_EMAIL):
        Peer.objects.create_user("quiet-fox", "fox@example.org", PASSWORD)
    with pytest.raises(ValueError, match=MSG_NO_EMAIL):
        Peer.objects.create_superuser("quiet-fox", email="fox@example.org", password=PASSWORD)
    assert not Peer.objects.exists()
    assert Peer.objects.create_user("quiet-fox", password=PASSWORD).check_password(PASSWORD)


def test_every_allauth_form_that_takes_an_address_is_refused_by_the_adapter():
    with pytest.raises(ValidationError) as refused:
        get_adapter().clean_email("sam@example.org")
    assert refused.value.messages == [MSG_NO_EMAIL]


@pytest.mark.django_db
def test_the_migration_forgets_every_address_allauth_stored(peer):
    """peers.0008 deletes the addresses the email page stored before it answered 404."""
    from importlib import import_module

    EmailAddress.objects.create(user=peer, email="river@example.org", primary=True, verified=False)
    migration = import_module("peers.migrations.0008_no_email")

    class Editor:
        connection = type("C", (), {"alias": "default"})()

    migration.forget_every_address(django_apps, Editor())
    assert not EmailAddress.objects.exists()


@pytest.mark.django_db
def test_the_export_carries_no_email_key(auth_client):
    data = auth_client.get("/settings/export/").json()
    assert "email" not in data["profile"]
    assert "email" not in auth_client.get("/settings/export/").content.decode()


# --- no page links to them or asks for an address ----------------------------------------------

LINK = re.compile(r"""(?:href|action)=["']([^"']+)["']""")


def _links(html: str) -> set[str]:
    return set(LINK.findall(html))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, signed_in",
    [
        ("/", False), ("/accounts/login/", False), ("/accounts/signup/", False), ("/accounts/recover/", False),
        ("/accounts/logout/", True), ("/settings/", True), ("/accounts/password/change/", True),
        ("/settings/delete/", True), ("/settings/recovery-code/", True), ("/get-help/", True), ("/shared-device/", False),
    ],
)
def test_no_page_links_to_an_email_route_or_asks_for_an_address(client, peer, path, signed_in):
    if signed_in:
        client.force_login(peer)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    for link in _links(page):
        assert not any(link.split("?")[0].startswith(p.rstrip("/")) for p in ("/accounts/email", "/accounts/password/reset",
                                                                                 "/accounts/confirm-email", "/accounts/login/code")), link
    assert 'type="email"' not in page and 'name="email"' not in page
    assert "email address" not in page.lower() or "no email" in page.lower()


def test_no_template_names_an_email_route():
    """Our templates (allauth's own that we override included) never reverse or link to an email route."""
    pattern = re.compile(r"account_email|account_reset_password|account_confirm_email|/accounts/email|/password/reset|confirm-email")
    offenders = [str(p) for p in Path(settings.BASE_DIR, "templates").rglob("*.*") if pattern.search(p.read_text())]
    assert offenders == []


def test_the_email_routes_list_matches_what_answers_404():
    assert len(NO_EMAIL_ROUTES) >= len(set(_allauth_email_paths()))


@pytest.mark.django_db
def test_forgot_your_password_leads_to_the_recovery_code(client, peer):
    login = client.get("/accounts/login/").content.decode()
    assert re.search(r'Forgot your password\? <a href="/accounts/recover/">Use your recovery code</a>', login)
    client.force_login(peer)
    change = client.get("/accounts/password/change/").content.decode()
    assert 'href="/accounts/recover/"' in change and "Forgot your password?" in change


# --- our words, not allauth's ------------------------------------------------------------------

STOCK = ["username and/or password", "Username", "A user is already registered", "You must type the same password",
         "Successfully signed in", "Sign Out", "Remember Me", "E-mail", "Email address"]


def _no_stock_wording(html: str) -> None:
    text = re.sub(r"<[^>]+>", " ", html)  # what a person reads, not attribute names such as autocomplete="username"
    for stock in STOCK:
        assert stock not in text, stock


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_our_words(client, peer):
    response = client.post("/accounts/login/", {"login": peer.username, "password": "not-the-password"})
    assert response.status_code == 400
    page = response.content.decode()
    assert escape(adapters.MSG_LOGIN_MISMATCH) in page
    _no_stock_wording(page)


@pytest.mark.django_db
def test_a_taken_pseudonym_is_refused_in_our_words(client, peer):
    response = client.post("/accounts/signup/", {"username": "RIVER", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    page = response.content.decode()
    assert "That pseudonym is taken" in page
    _no_stock_wording(page)


@pytest.mark.django_db
def test_different_passwords_are_refused_in_our_words(client):
    response = client.post("/accounts/signup/", {"username": "quiet-fox", "password1": PASSWORD, "password2": PASSWORD + "x"})
    assert response.status_code == 400
    assert escape(str(MSG_PASSWORDS_DIFFER)) in response.content.decode()
    _no_stock_wording(response.content.decode())
    assert not Peer.objects.exists()


@pytest.mark.django_db
def test_a_blocked_pseudonym_is_refused_in_our_words(client):
    from peers.pseudonyms import MSG_RESERVED

    response = client.post("/accounts/signup/", {"username": "system", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert escape(MSG_RESERVED) in response.content.decode()
    _no_stock_wording(response.content.decode())
    assert adapters.PeerAccountAdapter.error_messages["username_blacklisted"] == adapters.MSG_PSEUDONYM_NOT_ALLOWED


@pytest.mark.django_db
def test_logging_in_and_out_greets_in_our_words(client, peer):
    response = client.post("/accounts/login/", {"login": peer.username, "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert f"Welcome back, {peer.username}." in page
    _no_stock_wording(page)
    confirm = client.get("/accounts/logout/").content.decode()
    assert "Log out of" in confirm
    _no_stock_wording(confirm)
    out = client.post("/accounts/logout/", follow=True).content.decode()
    assert "You are logged out." in out


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/change/"])
def test_account_pages_use_our_words(client, peer, path):
    if path == "/accounts/password/change/":
        client.force_login(peer)
    page = client.get(path).content.decode()
    _no_stock_wording(page)
    assert "Pseudonym" in page or "Current password" in page


@pytest.mark.django_db
def test_changing_the_password_speaks_our_words(client, peer):
    client.force_login(peer)
    wrong = client.post("/accounts/password/change/", {"oldpassword": "nope", "password1": "new-long-pass-77", "password2": "new-long-pass-77"})
    assert wrong.status_code == 400
    assert "Please type your current password." in wrong.content.decode()
    differ = client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "new-long-pass-77", "password2": "other-long-pass-77"})
    assert escape(str(MSG_PASSWORDS_DIFFER)) in differ.content.decode()
    ok = client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "new-long-pass-77", "password2": "new-long-pass-77"}, follow=True)
    assert "Your password is changed." in ok.content.decode()
    peer.refresh_from_db()
    assert peer.check_password("new-long-pass-77")
